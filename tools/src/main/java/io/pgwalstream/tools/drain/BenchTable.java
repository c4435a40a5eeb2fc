package io.pgwalstream.tools.drain;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shape of table {@code bench}: its columns, each with its PostgreSQL type, the Flink SQL type
 * pg-walstream maps it to, and the SQL expression that fills it for row number {@code g} (a bigint
 * from {@code generate_series}). One definition serves the DDL, the INSERT … SELECT and the Flink
 * table of the SQL contender, so they cannot drift apart.
 *
 * @param columns in table order; the first is the primary key {@code id}
 */
public record BenchTable(List<BenchTable.Column> columns) {

    /** One column of {@code bench}. */
    public record Column(String name, String pgType, String flinkType, String valueOfG) {}

    /** The 7-column row of the other benchmarks (decode, RowData): about 130 bytes on the wire. */
    public static final BenchTable NARROW =
            new BenchTable(
                    List.of(
                            new Column("id", "bigint", "BIGINT", "g"),
                            new Column("a", "int", "INT", "(g % 100000)::int"),
                            new Column(
                                    "amount",
                                    "numeric(12,2)",
                                    "DECIMAL(12, 2)",
                                    "(g % 10000000) / 100.0"),
                            new Column("s1", "text", "STRING", "'customer-' || g"),
                            new Column("s2", "text", "STRING", "md5(g::text)"),
                            new Column(
                                    "ts",
                                    "timestamptz",
                                    "TIMESTAMP_LTZ(6)",
                                    "timestamptz '2024-01-01 00:00:00+00' + g * interval '1"
                                            + " second'"),
                            new Column("flag", "bool", "BOOLEAN", "g % 2 = 0")));

    /**
     * 30 columns: the narrow row's 7, a jsonb document, a 2 KB text (compressible, so PostgreSQL
     * keeps it inline compressed; pgoutput sends it whole) and 21 more of the common types. About
     * 2.6 KB per row on the wire.
     */
    static final BenchTable WIDE = wide();

    private static BenchTable wide() {
        List<Column> columns = new ArrayList<>(NARROW.columns());
        columns.add(
                new Column(
                        "doc",
                        "jsonb",
                        "STRING",
                        "jsonb_build_object('id', g, 'name', 'item-' || g, 'tags',"
                            + " jsonb_build_array('a', 'b', g % 7), 'price', (g % 1000) / 10.0,"
                            + " 'nested', jsonb_build_object('x', g % 13, 'y', md5(g::text)))"));
        columns.add(new Column("body", "text", "STRING", "repeat(md5(g::text), 64)"));
        for (int i = 1; i <= 3; i++) {
            columns.add(new Column("i" + i, "int", "INT", "(g * " + (i + 6) + " % 1000003)::int"));
            columns.add(new Column("l" + i, "bigint", "BIGINT", "g * " + (1000 + i)));
            columns.add(new Column("d" + i, "double precision", "DOUBLE", "g / " + (i + 2) + ".0"));
            columns.add(
                    new Column(
                            "n" + i,
                            "numeric(18,4)",
                            "DECIMAL(18, 4)",
                            "(g % 100000000) / " + (i * 7) + ".0"));
            columns.add(
                    new Column(
                            "v" + i, "varchar(64)", "STRING", "'value-" + i + "-' || (g % 1000)"));
        }
        columns.add(new Column("sm", "smallint", "SMALLINT", "(g % 32000)::smallint"));
        columns.add(new Column("dt", "date", "DATE", "date '2024-01-01' + (g % 3650)::int"));
        columns.add(
                new Column(
                        "uid",
                        "uuid",
                        "STRING",
                        "(substr(md5(g::text), 1, 8) || '-0000-4000-8000-' || substr(md5(g::text),"
                                + " 9, 12))::uuid"));
        columns.add(new Column("ok", "bool", "BOOLEAN", "g % 3 = 0"));
        columns.add(
                new Column(
                        "created",
                        "timestamp",
                        "TIMESTAMP(6)",
                        "timestamp '2024-01-01 00:00:00' + g * interval '1 millisecond'"));
        columns.add(
                new Column(
                        "note",
                        "text",
                        "STRING",
                        "CASE WHEN g % 5 = 0 THEN NULL ELSE 'n' || g END"));
        return new BenchTable(List.copyOf(columns));
    }

    /** {@code CREATE TABLE name (…)} body: the columns and the primary key. */
    String postgresColumns() {
        return columns.stream()
                        .map(c -> c.name() + " " + c.pgType())
                        .collect(Collectors.joining(", "))
                + ", PRIMARY KEY (id)";
    }

    /** The SELECT list that makes row {@code g}. */
    String selectList() {
        return columns.stream().map(Column::valueOfG).collect(Collectors.joining(", "));
    }

    /** The Flink table's physical columns and its primary key. */
    String flinkColumns() {
        return columns.stream()
                        .map(c -> "`" + c.name() + "` " + c.flinkType())
                        .collect(Collectors.joining(", "))
                + ", PRIMARY KEY (id) NOT ENFORCED";
    }
}
