package io.pgwalstream.flink.rowdata;

import io.pgwalstream.protocol.ColumnKind;
import io.pgwalstream.protocol.Insert;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.TupleCursor;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.protocol.TypeMessage;
import io.pgwalstream.replication.CreatedSlot;
import io.pgwalstream.replication.LogicalSlotSpec;
import io.pgwalstream.replication.PgSlotManager;
import io.pgwalstream.replication.SnapshotAction;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.snapshot.ChunkReader;
import io.pgwalstream.snapshot.SnapshotCatalog;
import io.pgwalstream.snapshot.SnapshotChunk;
import io.pgwalstream.snapshot.SnapshotRows;
import io.pgwalstream.snapshot.SnapshotTable;
import io.pgwalstream.testing.postgres.EveryPostgresVersion;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;
import io.pgwalstream.types.PgTypeRegistry;
import io.pgwalstream.types.PgUserType;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.TimestampType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table with a column of every supported type, rows of edge values, written to a real PostgreSQL
 * 17, captured from a pgoutput slot in text and in binary form, converted by {@link TupleToRowData}
 * and compared field by field with the values read back over JDBC (converted to Flink values here,
 * independently of the converters: the server computes epoch offsets, text forms and numerics).
 */
@PostgresTest
@Timeout(300)
class PgTypeConversionITCase {

    /**
     * Text-form captures run their output functions in this zone (offsets with seconds, +05:30).
     */
    private static final String CAPTURE_ZONE = "Asia/Kolkata";

    private static final String THOUSAND_DIGITS;

    static {
        StringBuilder sb = new StringBuilder("'-");
        for (int i = 0; i < 1000; i++) {
            sb.append((char) ('1' + i % 9));
        }
        THOUSAND_DIGITS = sb.append(".000000000123'").toString();
    }

    /**
     * One column: its SQL type, three row values (a fourth row is all NULL), the declared Flink
     * type (null: the default mapping) and the SQL that reads the expected value back (null: chosen
     * from the Flink type).
     */
    private record Col(
            String name,
            String sqlType,
            DataType declared,
            String expectText,
            String expectBinary,
            String... values) {}

    private static Col col(String name, String sqlType, String... values) {
        return new Col(name, sqlType, null, null, null, values);
    }

    private static Col declared(String name, String sqlType, DataType type, String... values) {
        return new Col(name, sqlType, type, null, null, values);
    }

    private static Col expecting(String name, String sqlType, String expect, String... values) {
        return new Col(name, sqlType, null, expect, expect, values);
    }

    private static final List<Col> COLUMNS =
            List.of(
                    col("c_bool", "bool", "true", "false", "true"),
                    col("c_int2", "int2", "42", "-32768", "32767"),
                    col("c_int4", "int4", "42", "-2147483648", "2147483647"),
                    col("c_int8", "int8", "42", "-9223372036854775808", "9223372036854775807"),
                    expecting("c_oid", "oid", "c_oid::text::int8", "42", "0", "4294967295"),
                    expecting("c_xid", "xid", "c_xid::text::int8", "'42'", "'0'", "'4294967295'"),
                    expecting("c_cid", "cid", "c_cid::text::int8", "'1'", "'0'", "'4294967295'"),
                    expecting(
                            "c_xid8",
                            "xid8",
                            "c_xid8::text::numeric",
                            "'42'",
                            "'0'",
                            "'18446744073709551615'"),
                    col("c_float4", "float4", "'3.14159'", "'-0'", "'NaN'"),
                    col("c_float4b", "float4", "'1e-45'", "'-Infinity'", "'3.4028235e+38'"),
                    col("c_float4c", "float4", "'0.1'", "'1e-30'", "'16777217'"),
                    col("c_float8", "float8", "0.1::float8 + 0.2::float8", "'-0'", "'NaN'"),
                    col("c_float8b", "float8", "'1e308'", "'-Infinity'", "'5e-324'"),
                    col("c_float8c", "float8", "'19.99'", "'2e+23'", "'-1.7976931348623157e+308'"),
                    col("c_num", "numeric(10,2)", "12345678.90", "-99999999.99", "0.01"),
                    col(
                            "c_num38",
                            "numeric(38,10)",
                            "'1234567890123456789012345678.0123456789'",
                            "'-9999999999999999999999999999.9999999999'",
                            "0"),
                    col("c_num_negscale", "numeric(3,-2)", "12345", "-99900", "0"),
                    col("c_num_any", "numeric", THOUSAND_DIGITS, "'-0.000001'", "'NaN'"),
                    expecting(
                            "c_money",
                            "money",
                            "c_money::numeric",
                            "1234.56",
                            "'-92233720368547758.08'",
                            "'92233720368547758.07'"),
                    col("c_char", "\"char\"", "'x'", "''", "'\\303'"),
                    col("c_bpchar", "char(5)", "'ab'", "''", "'héllo'"),
                    col("c_varchar", "varchar(20)", "'hello'", "''", "'😀👍🏽 grüße'"),
                    col(
                            "c_text",
                            "text",
                            "'plain'",
                            "''",
                            "'emoji 😀, \"quotes\", back\\slash, tab\t, 日本語'"),
                    col("c_name", "name", "'nm'", "''", "'ñame'"),
                    col("c_refcursor", "refcursor", "'cur'", "''", "'ü'"),
                    col("c_bytea", "bytea", "'\\x0102'", "'\\x'", "'\\x00ff7f80'"),
                    col(
                            "c_uuid",
                            "uuid",
                            "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
                            "'00000000-0000-0000-0000-000000000000'",
                            "'ffffffff-ffff-ffff-ffff-ffffffffffff'"),
                    col("c_json", "json", "'{\"a\": [1, 2]}'", "'[]'", "'\"ü 😀\"'"),
                    col("c_jsonb", "jsonb", "'{\"a\": [1, 2]}'", "'[]'", "'\"ü 😀\"'"),
                    col("c_jsonpath", "jsonpath", "'$.a[*] ? (@ > 1)'", "'$'", "'strict $.\"ü\"'"),
                    col("c_xml", "xml", "'<a>1</a>'", "'<b/>'", "'<ü>😀</ü>'"),
                    col("c_date", "date", "'2024-02-29'", "'4713-01-01 BC'", "'5874897-12-31'"),
                    col("c_date2", "date", "'0001-02-29 BC'", "'1970-01-01'", "'1999-12-31'"),
                    col("c_time", "time", "'12:34:56.789012'", "'00:00:00'", "'23:59:59.999999'"),
                    col("c_time3", "time(3)", "'12:34:56.789'", "'00:00:00.001'", "'23:59:59.999'"),
                    col(
                            "c_timetz",
                            "timetz",
                            "'12:34:56.789+05:30'",
                            "'00:00:00-00:00:15'",
                            "'23:59:59.999999-15:59'"),
                    col(
                            "c_ts",
                            "timestamp",
                            "'2024-02-29 12:34:56.123456'",
                            "'4713-01-01 00:00:00 BC'",
                            "'294276-12-31 23:59:59.999999'"),
                    col(
                            "c_ts0",
                            "timestamp(0)",
                            "'2024-02-29 12:34:56'",
                            "'0001-01-01 00:00:00'",
                            "'1969-12-31 23:59:59'"),
                    col(
                            "c_tstz",
                            "timestamptz",
                            "'2024-02-29 12:34:56.123456+01'",
                            "'1850-01-01 00:00:00+00'",
                            "'294276-12-30 23:59:59.999999+00'"),
                    col(
                            "c_tstz3",
                            "timestamptz(3)",
                            "'2024-02-29 12:34:56.123+00'",
                            "'4713-01-01 00:00:00+00 BC'",
                            "'1969-12-31 23:59:59.999+00'"),
                    col(
                            "c_interval",
                            "interval",
                            "'1 year 2 mons -3 days 04:05:06.5'",
                            "'-1 days -00:00:00.000001'",
                            "'0'"),
                    col(
                            "c_interval2",
                            "interval",
                            "'-178000000 years'",
                            "'100:00:00'",
                            "'1 day -1 second'"),
                    col("c_inet", "inet", "'192.168.0.1'", "'::ffff:1.2.3.4'", "'2001:db8::1/64'"),
                    col("c_inet2", "inet", "'10.1.2.3/16'", "'::1'", "'1:0:1::1:0:1'"),
                    col("c_cidr", "cidr", "'10.1.0.0/16'", "'::/0'", "'2001:db8::/32'"),
                    col(
                            "c_macaddr",
                            "macaddr",
                            "'08:00:2b:01:02:03'",
                            "'00:00:00:00:00:00'",
                            "'ff:ff:ff:ff:ff:ff'"),
                    col(
                            "c_macaddr8",
                            "macaddr8",
                            "'08:00:2b:01:02:03:04:05'",
                            "'00:00:00:00:00:00:00:00'",
                            "'ff:ff:ff:ff:ff:ff:ff:ff'"),
                    col("c_bit", "bit(4)", "B'0101'", "B'0000'", "B'1111'"),
                    col("c_varbit", "varbit", "B'1010000011'", "B''", "B'1'"),
                    col("c_point", "point", "'(1.5,2)'", "'(-0.1,1e-05)'", "'(1e+20,NaN)'"),
                    col("c_line", "line", "'{1,-1,0}'", "'{0.1,2,3}'", "'{1e+20,1,-3.5}'"),
                    col(
                            "c_lseg",
                            "lseg",
                            "'[(0,0),(1,1)]'",
                            "'[(0.30000000000000004,2),(-1,-2)]'",
                            "'[(1e-300,2),(3,4)]'"),
                    col("c_box", "box", "'(1,1),(0,0)'", "'(0.1,2),(-1,-2)'", "'(1e+20,1),(0,0)'"),
                    col(
                            "c_path",
                            "path",
                            "'((0,0),(1,1),(2,0))'",
                            "'[(0,0),(1,1)]'",
                            "'[(0.1,0.2)]'"),
                    col(
                            "c_polygon",
                            "polygon",
                            "'((0,0),(1,1),(2,0))'",
                            "'((0.5,0.5))'",
                            "'((-1e+20,3),(1,2))'"),
                    col(
                            "c_circle",
                            "circle",
                            "'<(1,2),3>'",
                            "'<(0,0),0>'",
                            "'<(-1.5,2.25),1e+15>'"),
                    col(
                            "c_tsvector",
                            "tsvector",
                            "'a fat:2B,4C cat:5A rat''s'",
                            "''",
                            "'ü:1 😀 back\\\\slash'"),
                    col("c_int4range", "int4range", "'[1,10)'", "'empty'", "'(,5]'"),
                    col(
                            "c_int8range",
                            "int8range",
                            "'[1,10)'",
                            "'(,)'",
                            "'[-9223372036854775808,0)'"),
                    col("c_numrange", "numrange", "'(1.5,2.5]'", "'(,)'", "'[0,0]'"),
                    col(
                            "c_tsrange",
                            "tsrange",
                            "'[2024-01-01 00:00,2024-02-29 12:00)'",
                            "'empty'",
                            "'(,infinity)'"),
                    col(
                            "c_tstzrange",
                            "tstzrange",
                            "'[2024-01-01 00:00+00,)'",
                            "'(1850-01-01 00:00+00,1900-01-01 00:00+00]'",
                            "'empty'"),
                    col(
                            "c_daterange",
                            "daterange",
                            "'[2024-01-01,2024-02-29]'",
                            "'(,)'",
                            "'[4713-01-01 BC,1970-01-01)'"),
                    col("c_int4multirange", "int4multirange", "'{[1,3),[5,7)}'", "'{}'", "'{(,)}'"),
                    col(
                            "c_tstzmultirange",
                            "tstzmultirange",
                            "'{[2024-01-01 00:00+00,2024-02-01 00:00+00)}'",
                            "'{}'",
                            "'{(,2024-01-01 00:00+05)}'"),
                    col("c_pglsn", "pg_lsn", "'16/B374D848'", "'0/0'", "'FFFFFFFF/FFFFFFFF'"),
                    col("c_tid", "tid", "'(1,2)'", "'(0,0)'", "'(4294967295,65535)'"),
                    col("c_snapshot", "pg_snapshot", "'10:20:11,12'", "'1:1:'", "'5:9:6'"),
                    col("c_txid_snapshot", "txid_snapshot", "'10:20:11,12'", "'1:1:'", "'5:9:6'"),
                    col("c_int2vector", "int2vector", "'1 2'", "''", "'-32768'"),
                    col("c_oidvector", "oidvector", "'1 2'", "''", "'4294967295'"),
                    new Col(
                            "c_regclass",
                            "regclass",
                            null,
                            "c_regclass::text",
                            "c_regclass::oid::text",
                            "'pg_class'",
                            "'pg_type'",
                            "'pg_attribute'"),
                    // Arrays
                    col(
                            "c_int4_arr",
                            "int4[]",
                            "'{1,2,NULL}'",
                            "'{}'",
                            "'{-2147483648,2147483647}'"),
                    col("c_int2_arr", "int2[]", "'{1,-32768}'", "'{NULL}'", "'{32767}'"),
                    col("c_int8_arr", "int8[]", "'{1,NULL}'", "'{}'", "'{-9223372036854775808}'"),
                    col(
                            "c_text_arr",
                            "text[]",
                            "'{a,\"b c\",NULL,\"NULL\",\"\",\"q\\\"x\",\"back\\\\slash\",😀}'",
                            "'{}'",
                            "'{\" spaced \",\"{}\",\"a,b\",null}'"),
                    col("c_varchar_arr", "varchar(5)[]", "'{ab,cd}'", "'{\"\"}'", "'{NULL,ü}'"),
                    col(
                            "c_num_arr",
                            "numeric(10,2)[]",
                            "'{1.5,NULL,-0.25}'",
                            "'{}'",
                            "'{99999999.99}'"),
                    col("c_bool_arr", "bool[]", "'{t,f,NULL}'", "'{}'", "'{t}'"),
                    col("c_float4_arr", "float4[]", "'{1.5,-0}'", "'{NaN}'", "'{3.4028235e+38}'"),
                    col(
                            "c_float8_arr",
                            "float8[]",
                            "'{NaN,-0,1.5,Infinity}'",
                            "'{}'",
                            "'{0.30000000000000004}'"),
                    col(
                            "c_box_arr",
                            "box[]",
                            "'{(1,1),(0,0);(2,2),(1,1)}'",
                            "'{}'",
                            "'{(0.5,1),(0,0)}'"),
                    col(
                            "c_jsonb_arr",
                            "jsonb[]",
                            "ARRAY['{\"a\": 1}'::jsonb, NULL]",
                            "'{}'",
                            "ARRAY['\"x,y\"'::jsonb]"),
                    col(
                            "c_uuid_arr",
                            "uuid[]",
                            "'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,NULL}'",
                            "'{}'",
                            "'{00000000-0000-0000-0000-000000000000}'"),
                    col("c_date_arr", "date[]", "'{2024-02-29,NULL}'", "'{}'", "'{4713-01-01 BC}'"),
                    col(
                            "c_tstz_arr",
                            "timestamptz[]",
                            "ARRAY['2024-02-29 12:00:00.5+00'::timestamptz, NULL]",
                            "'{}'",
                            "ARRAY['1850-01-01 00:00:00+00'::timestamptz]"),
                    col(
                            "c_bytea_arr",
                            "bytea[]",
                            "ARRAY['\\x0102'::bytea, NULL]",
                            "'{}'",
                            "ARRAY[''::bytea]"),
                    col(
                            "c_interval_arr",
                            "interval[]",
                            "ARRAY['1 day'::interval, '-00:00:01'::interval]",
                            "'{}'",
                            "ARRAY['1 year 2 mons -3 days 04:05:06.5'::interval]"),
                    declared(
                            "c_int4_2d",
                            "int4[][]",
                            DataTypes.ARRAY(DataTypes.ARRAY(DataTypes.INT())),
                            "'{{1,2},{3,NULL}}'",
                            "'{}'",
                            "'[0:1][1:2]={{1,2},{3,4}}'"),
                    declared(
                            "c_text_3d",
                            "text[]",
                            DataTypes.ARRAY(DataTypes.ARRAY(DataTypes.ARRAY(DataTypes.STRING()))),
                            "'{{{a,b}},{{c,\"d e\"}}}'",
                            "'{}'",
                            "'{{{NULL}}}'"),
                    // User-defined types
                    col("c_mood", "mood", "'happy'", "'sad'", "'ok 😀'"),
                    col("c_mood_arr", "mood[]", "'{happy,NULL}'", "'{}'", "'{\"ok 😀\"}'"),
                    col(
                            "c_pair",
                            "pair",
                            "ROW(1, 'a b', '2024-02-29 12:00:00+00')::pair",
                            "ROW(NULL, '', NULL)::pair",
                            "ROW(-1, 'q\"x\\y,(z)', '1850-01-01 00:00:00+00')::pair"),
                    col("c_price", "price", "12.50", "-99999999.99", "0"),
                    col("c_posint", "posint", "1", "2147483647", "42"),
                    col("c_floatrange", "floatrange", "'[1.5,2.5)'", "'empty'", "'(,1e+20]'"),
                    col(
                            "c_hstore",
                            "hstore",
                            "'a=>1, b=>NULL, \"c d\"=>\"x\\\"y\"'",
                            "''",
                            "'ü=>😀'"),
                    col("c_citext", "citext", "'MiXeD'", "''", "'ÜBER'"));

    /** The columns a server version supports: numeric with a negative scale needs 15. */
    private static List<Col> columnsFor(PostgresServer pg) {
        return COLUMNS.stream()
                .filter(c -> pg.version().major() >= 15 || !c.name.equals("c_num_negscale"))
                .toList();
    }

    @EveryPostgresVersion
    void everyTypeInTextAndBinaryMatchesJdbc(PostgresServer pg) throws SQLException {
        List<Col> columns = columnsFor(pg);
        try (SlotCapture capture = new SlotCapture(pg, "everytype")) {
            capture.sql(
                    "CREATE EXTENSION hstore",
                    "CREATE EXTENSION citext",
                    "CREATE TYPE mood AS ENUM ('happy', 'sad', 'ok 😀')",
                    "CREATE TYPE pair AS (i int4, t text, ts timestamptz)",
                    "CREATE DOMAIN price AS numeric(10,2)",
                    "CREATE DOMAIN posint AS int4 CHECK (VALUE > 0)",
                    "CREATE TYPE floatrange AS RANGE (subtype = float8)");
            StringBuilder ddl = new StringBuilder("CREATE TABLE everything (id int PRIMARY KEY");
            for (Col c : columns) {
                ddl.append(", ").append(c.name).append(' ').append(c.sqlType);
            }
            capture.sql(ddl.append(')').toString(), "CREATE PUBLICATION pub FOR TABLE everything");
            for (int row = 0; row < 3; row++) {
                StringBuilder insert =
                        new StringBuilder("INSERT INTO everything VALUES (").append(row + 1);
                for (Col c : columns) {
                    insert.append(", ").append(c.values[row]);
                }
                capture.sql(insert.append(')').toString());
            }
            capture.sql("INSERT INTO everything (id) VALUES (4)");
            List<PgUserType> userTypes = capture.userTypes();

            // Binary: every value arrives as 'b'.
            SlotCapture.Decoded binary = capture.peek(true);
            Relation relation = binary.relation("everything");
            assertThat(kinds(binary.inserts(relation).get(0))).containsOnly(ColumnKind.BINARY);
            List<String> mismatches = new ArrayList<>();
            compare(capture, columns, binary, userTypes, true, "binary", mismatches);
            snapshotReadsTheSameBytes(capture, relation, binary.inserts(relation));

            // Text, once per IntervalStyle, in a zone with +05:30 and LMT (+05:53:28) offsets.
            for (String style :
                    new String[] {"postgres", "postgres_verbose", "sql_standard", "iso_8601"}) {
                SlotCapture.Decoded text =
                        capture.peek(
                                false,
                                "SET TimeZone = '" + CAPTURE_ZONE + "'",
                                "SET IntervalStyle = " + style);
                assertThat(kinds(text.inserts(text.relation("everything")).get(0)))
                        .containsOnly(ColumnKind.TEXT);
                compare(capture, columns, text, userTypes, false, "text/" + style, mismatches);
            }
            assertThat(mismatches).isEmpty();
        }
    }

    @Test
    void specialValuesFollowThePolicies(PostgresServer pg) throws SQLException {
        try (SlotCapture capture = new SlotCapture(pg, "specials")) {
            capture.sql(
                    "CREATE TABLE specials (id int PRIMARY KEY, n numeric(10,2), d date, t time,"
                            + " ts timestamp, tstz timestamptz(3), n_any numeric, i interval,"
                            + " f float8)",
                    "CREATE PUBLICATION pub FOR TABLE specials",
                    "INSERT INTO specials VALUES (1, 'NaN', 'infinity', '24:00:00', 'infinity',"
                            + " '-infinity', 'NaN', 'infinity', 'Infinity')",
                    // numeric(p,s) holds NaN but not infinity.
                    "INSERT INTO specials VALUES (2, 'NaN', '-infinity', '24:00:00',"
                            + " '-infinity', 'infinity', '-Infinity', '-infinity', '-Infinity')",
                    "INSERT INTO specials VALUES (3, 'NaN', '-infinity', '24:00:00',"
                            + " '-infinity', 'infinity', 'Infinity', 'infinity', 'NaN')");
            for (boolean binary : new boolean[] {true, false}) {
                SlotCapture.Decoded decoded = capture.peek(binary);
                Relation relation = decoded.relation("specials");
                List<Insert> rows = decoded.inserts(relation);

                // Defaults: every special value in a column that cannot hold it fails, naming it.
                for (int column = 1; column <= 5; column++) {
                    TupleToRowData one =
                            project(
                                    relation,
                                    column,
                                    ConversionPolicies.defaults(),
                                    new ConversionWarnings());
                    String name = relation.columns().get(column).name();
                    for (Insert row : rows) {
                        org.assertj.core.api.Assertions.assertThatThrownBy(
                                        () -> one.convert(row.newTuple()))
                                .as("%s %s", binary ? "binary" : "text", name)
                                .isInstanceOf(PgValueConversionException.class)
                                .hasMessageContaining("\"" + name + "\"")
                                .hasMessageContaining(
                                        column == 1
                                                ? "types.numeric.special-values"
                                                : "types.temporal.special-values");
                    }
                }

                // NULL_WITH_WARNING: NULLs, counted.
                ConversionWarnings warnings = new ConversionWarnings();
                ConversionPolicies nulls =
                        ConversionPolicies.defaults()
                                .withNumericSpecialValues(
                                        PgConversionOptions.NumericSpecialValues.NULL_WITH_WARNING)
                                .withTemporalSpecialValues(
                                        PgConversionOptions.TemporalSpecialValues
                                                .NULL_WITH_WARNING);
                TupleToRowData lenient =
                        TupleToRowData.allColumns(relation, new PgTypeRegistry(), nulls, warnings);
                for (Insert row : rows) {
                    GenericRowData r = lenient.convert(row.newTuple());
                    for (int column = 1; column <= 5; column++) {
                        assertThat(r.isNullAt(column)).isTrue();
                    }
                }
                assertThat(warnings.count(ConversionWarnings.Kind.NUMERIC_SPECIAL_VALUE_NULLED))
                        .isEqualTo(3);
                // Unconstrained numeric declared as DECIMAL: NaN and both infinities.
                TupleToRowData asDecimal =
                        TupleToRowData.create(
                                relation,
                                new int[] {6},
                                List.of(DataTypes.DECIMAL(38, 18).getLogicalType()),
                                new PgTypeRegistry(),
                                nulls,
                                warnings);
                for (Insert row : rows) {
                    assertThat(asDecimal.convert(row.newTuple()).isNullAt(0)).isTrue();
                }
                assertThat(warnings.count(ConversionWarnings.Kind.NUMERIC_SPECIAL_VALUE_NULLED))
                        .isEqualTo(6);
                assertThat(warnings.count(ConversionWarnings.Kind.TEMPORAL_SPECIAL_VALUE_NULLED))
                        .isEqualTo(12);

                // CLAMP: the ends of Flink's ranges; the STRING and DOUBLE columns keep the value.
                ConversionPolicies clamp =
                        nulls.withTemporalSpecialValues(
                                PgConversionOptions.TemporalSpecialValues.CLAMP);
                GenericRowData first =
                        TupleToRowData.allColumns(
                                        relation,
                                        new PgTypeRegistry(),
                                        clamp,
                                        new ConversionWarnings())
                                .convert(rows.get(0).newTuple());
                assertThat(first.getInt(2))
                        .isEqualTo((int) java.time.LocalDate.of(9999, 12, 31).toEpochDay());
                assertThat(first.getInt(3)).isEqualTo(86_399_999);
                assertThat(first.getTimestamp(4, 6))
                        .isEqualTo(
                                TimestampData.fromLocalDateTime(
                                        java.time.LocalDateTime.of(
                                                9999, 12, 31, 23, 59, 59, 999_999_000)));
                assertThat(first.getTimestamp(5, 3))
                        .isEqualTo(
                                TimestampData.fromLocalDateTime(
                                        java.time.LocalDateTime.of(0, 1, 1, 0, 0)));
                assertThat(first.getString(6).toString()).isEqualTo("NaN");
                assertThat(first.getString(7).toString()).isEqualTo("infinity");
                assertThat(first.getDouble(8)).isEqualTo(Double.POSITIVE_INFINITY);
            }
        }
    }

    private static TupleToRowData project(
            Relation relation,
            int column,
            ConversionPolicies policies,
            ConversionWarnings warnings) {
        PgTypeRegistry registry = new PgTypeRegistry();
        return TupleToRowData.create(
                relation,
                new int[] {column},
                List.of(
                        PgTypeMapping.defaults()
                                .map(relation.columns().get(column), registry)
                                .getLogicalType()),
                registry,
                policies,
                warnings);
    }

    @Test
    void unchangedToastComesFromTheFullOldRow(PostgresServer pg) throws SQLException {
        try (SlotCapture capture = new SlotCapture(pg, "toast")) {
            StringBuilder big = new StringBuilder();
            for (int i = 0; i < 5000; i++) {
                big.append((char) ('a' + i % 26)).append(i % 10);
            }
            capture.sql(
                    "CREATE TABLE full_rows (id int PRIMARY KEY, doc text, tags text[], note text)",
                    "ALTER TABLE full_rows REPLICA IDENTITY FULL",
                    "ALTER TABLE full_rows ALTER COLUMN doc SET STORAGE EXTERNAL",
                    "ALTER TABLE full_rows ALTER COLUMN tags SET STORAGE EXTERNAL",
                    "CREATE TABLE key_rows (id int PRIMARY KEY, doc text, note text)",
                    "ALTER TABLE key_rows ALTER COLUMN doc SET STORAGE EXTERNAL",
                    "CREATE PUBLICATION pub FOR TABLE full_rows, key_rows",
                    "INSERT INTO full_rows VALUES (1, '"
                            + big
                            + "', ARRAY(SELECT '"
                            + big.substring(0, 100)
                            + "' || g FROM generate_series(1, 100) g), 'before')",
                    "INSERT INTO key_rows VALUES (1, '" + big + "', 'before')",
                    "UPDATE full_rows SET note = 'after'",
                    "UPDATE key_rows SET note = 'after'");
            for (boolean binary : new boolean[] {true, false}) {
                SlotCapture.Decoded decoded = capture.peek(binary);
                Relation full = decoded.relation("full_rows");
                io.pgwalstream.protocol.Update update =
                        decoded.updates.stream()
                                .filter(u -> u.relationOid() == full.relationOid())
                                .findFirst()
                                .orElseThrow();
                assertThat(update.newTuple().kind(1)).isEqualTo(ColumnKind.UNCHANGED_TOAST);
                assertThat(update.newTuple().kind(2)).isEqualTo(ColumnKind.UNCHANGED_TOAST);
                ConversionWarnings warnings = new ConversionWarnings();
                TupleToRowData converter =
                        TupleToRowData.allColumns(
                                full,
                                new PgTypeRegistry(),
                                ConversionPolicies.defaults(),
                                warnings);
                GenericRowData row =
                        converter.convert(
                                update.newTuple(),
                                update.oldTuple(),
                                org.apache.flink.types.RowKind.UPDATE_AFTER);
                assertThat(row.getString(1).toString()).isEqualTo(big.toString());
                assertThat(row.getArray(2).size()).isEqualTo(100);
                assertThat(row.getArray(2).getString(99).toString())
                        .isEqualTo(big.substring(0, 100) + "100");
                assertThat(row.getString(3).toString()).isEqualTo("after");
                assertThat(warnings.count(ConversionWarnings.Kind.UNCHANGED_TOAST_FROM_FALLBACK))
                        .isEqualTo(2);
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> converter.convert(update.newTuple()))
                        .isInstanceOf(PgValueConversionException.class)
                        .hasMessageContaining("\"doc\"")
                        .hasMessageContaining("types.unchanged-toast");

                // DEFAULT identity: no old row, so the policy decides.
                Relation keyed = decoded.relation("key_rows");
                io.pgwalstream.protocol.Update keyUpdate =
                        decoded.updates.stream()
                                .filter(u -> u.relationOid() == keyed.relationOid())
                                .findFirst()
                                .orElseThrow();
                assertThat(keyUpdate.oldTuple()).isNull();
                ConversionWarnings nulled = new ConversionWarnings();
                GenericRowData keyRow =
                        TupleToRowData.allColumns(
                                        keyed,
                                        new PgTypeRegistry(),
                                        ConversionPolicies.defaults()
                                                .withUnchangedToast(
                                                        PgConversionOptions.UnchangedToast
                                                                .NULL_WITH_WARNING),
                                        nulled)
                                .convert(keyUpdate.newTuple());
                assertThat(keyRow.isNullAt(1)).isTrue();
                assertThat(keyRow.getString(2).toString()).isEqualTo("after");
                assertThat(nulled.count(ConversionWarnings.Kind.UNCHANGED_TOAST_NULLED))
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void floatsMatchTheServerInBothDirections(PostgresServer pg) throws SQLException {
        try (SlotCapture capture = new SlotCapture(pg, "floats")) {
            capture.sql(
                    "CREATE TABLE floats (id int PRIMARY KEY, d float8, f float4, p point)",
                    "CREATE PUBLICATION pub FOR TABLE floats");
            java.util.SplittableRandom random = new java.util.SplittableRandom(11);
            StringBuilder insert = new StringBuilder("INSERT INTO floats VALUES ");
            int rows = 1000;
            for (int i = 0; i < rows; i++) {
                double d = Double.longBitsToDouble(random.nextLong());
                float f = Float.intBitsToFloat(random.nextInt());
                if (Double.isNaN(d)) {
                    d = 0.1 * i;
                }
                if (Float.isNaN(f)) {
                    f = i;
                }
                insert.append(i == 0 ? "" : ", ")
                        .append(
                                String.format(
                                                "(%d, float8send_input, float4send_input, point(%s,"
                                                        + " %s))",
                                                i, "0", "0")
                                        .replace("float8send_input", "'" + d + "'::float8")
                                        .replace("float4send_input", "'" + f + "'::float4")
                                        .replace(
                                                "point(0, 0)",
                                                "point('"
                                                        + d
                                                        + "'::float8, '"
                                                        + (d / 3)
                                                        + "'::float8)"));
            }
            capture.sql(insert.toString());
            RowTypeSpec spec = new RowTypeSpec();
            for (boolean binary : new boolean[] {true, false}) {
                SlotCapture.Decoded decoded = capture.peek(binary);
                Relation relation = decoded.relation("floats");
                PgTypeRegistry registry = new PgTypeRegistry();
                // d and f as DOUBLE/FLOAT and again as STRING; p as STRING.
                TupleToRowData converter =
                        TupleToRowData.create(
                                relation,
                                new int[] {0, 1, 2, 1, 2, 3},
                                spec.types,
                                registry,
                                ConversionPolicies.defaults(),
                                new ConversionWarnings());
                List<Insert> inserts = decoded.inserts(relation);
                try (Connection c = capture.connect();
                        Statement s = c.createStatement();
                        ResultSet rs =
                                s.executeQuery(
                                        "SELECT id, d::text, f::text, format('%s', p) FROM floats"
                                                + " ORDER BY id")) {
                    for (Insert insert1 : inserts) {
                        assertThat(rs.next()).isTrue();
                        GenericRowData row = converter.convert(insert1.newTuple());
                        String mode = (binary ? "binary" : "text") + " row " + rs.getInt(1);
                        assertThat(row.getDouble(1))
                                .as(mode)
                                .isEqualTo(Double.parseDouble(rs.getString(2)));
                        assertThat(row.getFloat(2))
                                .as(mode)
                                .isEqualTo(Float.parseFloat(rs.getString(3)));
                        assertThat(row.getString(3).toString()).as(mode).isEqualTo(rs.getString(2));
                        assertThat(row.getString(4).toString()).as(mode).isEqualTo(rs.getString(3));
                        assertThat(row.getString(5).toString()).as(mode).isEqualTo(rs.getString(4));
                    }
                }
            }
        }
    }

    /**
     * The initial snapshot (binary COPY under an exported snapshot) yields the stream's binary
     * tuples byte for byte, and the stream's Relation: so it converts exactly as the stream does.
     */
    private static void snapshotReadsTheSameBytes(
            SlotCapture capture, Relation streamed, List<Insert> inserts) throws SQLException {
        try (PgSlotManager exporter = PgSlotManager.open(capture.config());
                ChunkReader reader = new ChunkReader(capture.config());
                Connection c = capture.connect()) {
            CreatedSlot slot =
                    exporter.createLogical(
                            LogicalSlotSpec.of(capture.database + "_snap")
                                    .withTemporary(true)
                                    .withSnapshot(SnapshotAction.EXPORT));
            SnapshotTable table =
                    SnapshotCatalog.read(c, TableName.of("public", "everything"), "pub", null);
            assertThat(table.relation().columns()).isEqualTo(streamed.columns());
            assertThat(table.relation().replicaIdentity()).isEqualTo(streamed.replicaIdentity());
            SnapshotRows rows =
                    reader.read(
                            table,
                            new SnapshotChunk(table.name(), 0, 1, null, null),
                            slot.snapshotName());
            Map<Integer, TupleData> byId = new HashMap<>();
            for (int i = 0; i < rows.count(); i++) {
                TupleData row = rows.row(i);
                byId.put(ByteBuffer.wrap(row.valueBytes(0)).getInt(), row);
            }
            assertThat(byId).hasSize(inserts.size());
            for (Insert insert : inserts) {
                int id = ByteBuffer.wrap(insert.newTuple().valueBytes(0)).getInt();
                assertThat(byId.get(id)).as("snapshot row %d", id).isEqualTo(insert.newTuple());
            }
        }
    }

    /** The projected types of {@link #floatsMatchTheServerInBothDirections}. */
    private static final class RowTypeSpec {
        final List<LogicalType> types =
                List.of(
                        DataTypes.INT().getLogicalType(),
                        DataTypes.DOUBLE().getLogicalType(),
                        DataTypes.FLOAT().getLogicalType(),
                        DataTypes.STRING().getLogicalType(),
                        DataTypes.STRING().getLogicalType(),
                        DataTypes.STRING().getLogicalType());
    }

    private static List<ColumnKind> kinds(Insert insert) {
        List<ColumnKind> kinds = new ArrayList<>();
        TupleCursor cursor = insert.newTuple().cursor();
        while (cursor.next()) {
            kinds.add(cursor.kind());
        }
        return kinds;
    }

    /** Converts the captured rows and compares every field with JDBC's reading. */
    private static void compare(
            SlotCapture capture,
            List<Col> columns,
            SlotCapture.Decoded decoded,
            List<PgUserType> userTypes,
            boolean binary,
            String mode,
            List<String> mismatches)
            throws SQLException {
        PgTypeRegistry registry = new PgTypeRegistry();
        for (TypeMessage t : decoded.types) {
            registry.register(t);
        }
        userTypes.forEach(registry::register);
        Relation relation = decoded.relation("everything");
        PgTypeMapping mapping = PgTypeMapping.defaults();
        int[] projection = new int[relation.columns().size()];
        List<LogicalType> types = new ArrayList<>();
        for (int i = 0; i < projection.length; i++) {
            projection[i] = i;
            Col c = i == 0 ? null : columns.get(i - 1);
            DataType type =
                    c != null && c.declared != null
                            ? c.declared
                            : mapping.map(relation.columns().get(i), registry);
            types.add(type.getLogicalType());
        }
        TupleToRowData converter =
                TupleToRowData.create(
                        relation,
                        projection,
                        types,
                        registry,
                        ConversionPolicies.defaults(),
                        new ConversionWarnings());
        List<Insert> inserts = decoded.inserts(relation);
        assertThat(inserts).as(mode).hasSize(4);

        StringBuilder query = new StringBuilder("SELECT id");
        for (int i = 0; i < columns.size(); i++) {
            query.append(", ").append(expectation(columns.get(i), types.get(i + 1), binary));
        }
        query.append(" FROM everything ORDER BY id");
        try (Connection c = capture.connect();
                Statement s = c.createStatement()) {
            // Text captures render timestamptz in CAPTURE_ZONE, binary ones are rendered in UTC.
            s.execute("SET TimeZone = '" + (binary ? "UTC" : CAPTURE_ZONE) + "'");
            s.execute("SET IntervalStyle = iso_8601");
            try (ResultSet rs = s.executeQuery(query.toString())) {
                for (Insert insert : inserts) {
                    assertThat(rs.next()).isTrue();
                    GenericRowData row = converter.convert(insert.newTuple());
                    assertThat(row.getInt(0)).isEqualTo(rs.getInt(1));
                    for (int i = 0; i < columns.size(); i++) {
                        Object expected = expected(rs, i + 2, types.get(i + 1));
                        Object actual = row.getField(i + 1);
                        if (!Objects.equals(normalize(expected), normalize(actual))) {
                            mismatches.add(
                                    String.format(
                                            "%s row %d %s (%s as %s): expected %s but got %s",
                                            mode,
                                            row.getInt(0),
                                            columns.get(i).name,
                                            columns.get(i).sqlType,
                                            types.get(i + 1).asSummaryString(),
                                            abbreviate(normalize(expected)),
                                            abbreviate(normalize(actual))));
                        }
                    }
                }
            }
        }
    }

    /** SQL that reads a column's expected value in a JDBC-friendly shape. */
    private static String expectation(Col c, LogicalType type, boolean binary) {
        String override = binary ? c.expectBinary : c.expectText;
        if (override != null) {
            return override;
        }
        String n = c.name;
        switch (type.getTypeRoot()) {
            case VARCHAR:
                // format() applies the output function (a ::text cast would trim char(n) and add
                // /32 to inet).
                return "CASE WHEN " + n + " IS NULL THEN NULL ELSE format('%s', " + n + ") END";
            case DATE:
                return "(" + n + " - DATE '1970-01-01')";
            case TIME_WITHOUT_TIME_ZONE:
                return "floor(extract(epoch FROM " + n + ") * 1000)::int";
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return micros(n);
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return micros("(" + n + " AT TIME ZONE 'UTC')");
            case ARRAY:
                LogicalType element = ((ArrayType) type).getElementType();
                switch (element.getTypeRoot()) {
                    case VARCHAR:
                        return n + "::text[]";
                    case DATE:
                        return "CASE WHEN "
                                + n
                                + " IS NULL THEN NULL ELSE ARRAY(SELECT x - DATE"
                                + " '1970-01-01' FROM unnest("
                                + n
                                + ") WITH ORDINALITY u(x, o)"
                                + " ORDER BY o) END";
                    case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                        return "CASE WHEN "
                                + n
                                + " IS NULL THEN NULL ELSE ARRAY(SELECT "
                                + micros("(x AT TIME ZONE 'UTC')")
                                + " FROM unnest("
                                + n
                                + ") WITH ORDINALITY u(x, o) ORDER BY o) END";
                    default:
                        return n;
                }
            default:
                return n;
        }
    }

    /**
     * Exact microseconds since 1970 of a timestamp, as numeric: whole days times 86400000000 plus
     * the time of day (extract(epoch) itself loses digits near 294276 AD).
     */
    private static String micros(String timestamp) {
        return "((("
                + timestamp
                + ")::date - DATE '1970-01-01')::numeric * 86400000000"
                + " + floor(extract(epoch FROM ("
                + timestamp
                + ")::time) * 1000000))";
    }

    /** The JDBC value converted to Flink's internal representation for {@code type}. */
    private static Object expected(ResultSet rs, int index, LogicalType type) throws SQLException {
        Object value = rs.getObject(index);
        if (value == null) {
            return null;
        }
        if (value instanceof Array) {
            return array(((Array) value).getArray(), type);
        }
        return leaf(
                value instanceof String
                                && type.getTypeRoot()
                                        != org.apache.flink.table.types.logical.LogicalTypeRoot
                                                .VARCHAR
                        ? parseAs((String) value, type)
                        : value,
                type);
    }

    private static Object parseAs(String text, LogicalType type) {
        switch (type.getTypeRoot()) {
            case FLOAT:
                return Float.parseFloat(text);
            case DOUBLE:
                return Double.parseDouble(text);
            default:
                return text;
        }
    }

    private static Object array(Object javaArray, LogicalType type) {
        LogicalType element = ((ArrayType) type).getElementType();
        int n = java.lang.reflect.Array.getLength(javaArray);
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
            Object v = java.lang.reflect.Array.get(javaArray, i);
            if (v == null) {
                out[i] = null;
            } else if (element instanceof ArrayType) {
                out[i] = array(v, element);
            } else {
                out[i] = leaf(v, element);
            }
        }
        return new GenericArrayData(out);
    }

    private static Object leaf(Object v, LogicalType type) {
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return v;
            case SMALLINT:
                return ((Number) v).shortValue();
            case INTEGER:
            case DATE:
            case TIME_WITHOUT_TIME_ZONE:
                return ((Number) v).intValue();
            case BIGINT:
                return ((Number) v).longValue();
            case FLOAT:
                return ((Number) v).floatValue();
            case DOUBLE:
                return ((Number) v).doubleValue();
            case DECIMAL:
                DecimalType d = (DecimalType) type;
                BigDecimal bd =
                        v instanceof BigDecimal ? (BigDecimal) v : new BigDecimal(v.toString());
                return DecimalData.fromBigDecimal(
                        bd.setScale(d.getScale(), RoundingMode.HALF_UP),
                        d.getPrecision(),
                        d.getScale());
            case VARCHAR:
                return StringData.fromString(v.toString());
            case VARBINARY:
                return v;
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return timestamp((BigDecimal) v, ((TimestampType) type).getPrecision());
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return timestamp((BigDecimal) v, ((LocalZonedTimestampType) type).getPrecision());
            default:
                throw new AssertionError("no expectation for " + type);
        }
    }

    private static TimestampData timestamp(BigDecimal micros, int precision) {
        java.math.BigInteger[] millis =
                micros.toBigIntegerExact().divideAndRemainder(java.math.BigInteger.valueOf(1000));
        long ms = millis[0].longValueExact();
        long microsOfMilli = millis[1].longValue();
        if (microsOfMilli < 0) {
            ms--;
            microsOfMilli += 1000;
        }
        long nanos = microsOfMilli * 1000;
        if (precision < 3) {
            long step = (long) Math.pow(10, 3 - precision);
            ms -= Math.floorMod(ms, step);
            nanos = 0;
        } else if (precision < 6) {
            long step = (long) Math.pow(10, 9 - precision);
            nanos -= nanos % step;
        }
        return TimestampData.fromEpochMillis(ms, (int) nanos);
    }

    /** A comparable, printable form of a Flink internal value. */
    static Object normalize(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof GenericArrayData) {
            List<Object> out = new ArrayList<>();
            for (Object e : ((GenericArrayData) v).toObjectArray()) {
                out.add(normalize(e));
            }
            return out;
        }
        if (v instanceof StringData) {
            return "'" + v + "'";
        }
        if (v instanceof byte[]) {
            return "\\x" + HexFormat.of().formatHex((byte[]) v);
        }
        if (v instanceof Float) {
            return "float " + v + " bits " + Float.floatToIntBits((Float) v);
        }
        if (v instanceof Double) {
            return "double " + v + " bits " + Double.doubleToLongBits((Double) v);
        }
        if (v instanceof DecimalData) {
            DecimalData d = (DecimalData) v;
            return "DECIMAL("
                    + d.precision()
                    + ","
                    + d.scale()
                    + ") "
                    + d.toBigDecimal().toPlainString();
        }
        if (v instanceof TimestampData) {
            TimestampData t = (TimestampData) v;
            return "ts " + t.getMillisecond() + "ms+" + t.getNanoOfMillisecond() + "ns";
        }
        return v.getClass().getSimpleName() + " " + v;
    }

    private static String abbreviate(Object o) {
        String s = String.valueOf(o);
        return s.length() > 200 ? s.substring(0, 200) + "…(" + s.length() + " chars)" : s;
    }
}
