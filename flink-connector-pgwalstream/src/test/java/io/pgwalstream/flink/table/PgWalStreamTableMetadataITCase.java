package io.pgwalstream.flink.table;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.pgwalstream.flink.table.SqlTestDb.collect;
import static io.pgwalstream.flink.table.SqlTestDb.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Metadata columns, projection and watermark push-down, several tables in one Flink table. */
@PostgresTest
@Timeout(300)
class PgWalStreamTableMetadataITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String METADATA_COLUMNS =
            "id INT, v STRING,"
                    + " db STRING METADATA FROM 'database_name' VIRTUAL,"
                    + " sch STRING METADATA FROM 'schema_name' VIRTUAL,"
                    + " tbl STRING METADATA FROM 'table_name' VIRTUAL,"
                    + " op_ts TIMESTAMP_LTZ(3) METADATA FROM 'op_ts' VIRTUAL,"
                    + " lsn STRING METADATA FROM 'lsn' VIRTUAL,"
                    + " xid BIGINT METADATA FROM 'xid' VIRTUAL,"
                    + " origin STRING METADATA FROM 'origin' VIRTUAL,"
                    + " row_kind STRING METADATA FROM 'row_kind' VIRTUAL";

    private TableEnvironment tEnv;

    @BeforeEach
    void tableEnvironment() {
        tEnv = SqlTestDb.tableEnvironment();
    }

    @Test
    void metadataColumnsDescribeTheChange(PostgresServer pg) throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, "metadata");
        db.sql(
                "CREATE TABLE items (id int, v text)",
                "ALTER TABLE items REPLICA IDENTITY FULL",
                "CREATE PUBLICATION pub FOR TABLE items",
                "SELECT pg_replication_origin_create('upstream')");
        db.createSlot();
        Lsn before = Lsn.parse(db.query("SELECT pg_current_wal_lsn()::text").get(0));
        long xid;
        Instant started;
        try (Connection c = pg.connect(db.name());
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO items VALUES (1, 'a')");
            s.execute("UPDATE items SET v = 'b' WHERE id = 1");
            try (ResultSet rs = s.executeQuery("SELECT txid_current(), now()")) {
                rs.next();
                xid = rs.getLong(1);
                started = rs.getTimestamp(2).toInstant();
            }
            c.commit();
            c.setAutoCommit(true);
            // A change replicated from elsewhere carries its replication origin.
            s.execute("SELECT pg_replication_origin_session_setup('upstream')");
            s.execute("INSERT INTO items VALUES (2, 'c')");
            s.execute("SELECT pg_replication_origin_session_reset()");
        }
        Lsn after = Lsn.parse(db.query("SELECT pg_current_wal_lsn()::text").get(0));
        Instant finished = Instant.now();
        tEnv.executeSql(
                db.ddl(
                        "src",
                        METADATA_COLUMNS,
                        "table-name",
                        "items",
                        "publication.name",
                        "pub",
                        "scan.startup.mode",
                        "committed-offset",
                        "scan.bounded.mode",
                        "latest-offset"));

        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql("SELECT * FROM src").collect()) {
            it.forEachRemaining(rows::add);
        }

        assertThat(rows).hasSize(4);
        assertThat(rows)
                .extracting(r -> r.getField("row_kind"))
                .containsExactly("+I", "-U", "+U", "+I");
        assertThat(rows).extracting(r -> r.getField("v")).containsExactly("a", "a", "b", "c");
        for (Row row : rows) {
            assertThat(row.getField("db")).isEqualTo(db.name());
            assertThat(row.getField("sch")).isEqualTo("public");
            assertThat(row.getField("tbl")).isEqualTo("items");
            Lsn lsn = Lsn.parse((String) row.getField("lsn"));
            assertThat(lsn).isGreaterThan(before).isLessThanOrEqualTo(after);
        }
        Row first = rows.get(0);
        assertThat(first.getField("xid")).isEqualTo(xid);
        assertThat(first.getField("origin")).isNull();
        Instant opTs = (Instant) first.getField("op_ts");
        assertThat(opTs).isBetween(started.minusMillis(1), finished);
        assertThat(rows.get(1).getField("lsn")).isEqualTo(first.getField("lsn"));
        Row replicated = rows.get(3);
        assertThat(replicated.getField("origin")).isEqualTo("upstream");
        assertThat((long) replicated.getField("xid")).isNotEqualTo(xid);
    }

    @Test
    void projectionAndWatermarkArePushedIntoTheSource(PostgresServer pg) throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, "pushdown");
        db.sql(
                "CREATE TABLE items (id int, v text, w text)",
                "ALTER TABLE items REPLICA IDENTITY FULL",
                "CREATE PUBLICATION pub FOR TABLE items");
        db.createSlot();
        db.sql("INSERT INTO items VALUES (1, 'a', 'x')");
        tEnv.executeSql(
                db.ddl(
                        "src",
                        "id INT, v STRING, w STRING,"
                                + " op_ts TIMESTAMP_LTZ(3) METADATA FROM 'op_ts' VIRTUAL,"
                                + " WATERMARK FOR op_ts AS op_ts - INTERVAL '5' SECOND",
                        "table-name",
                        "items",
                        "publication.name",
                        "pub",
                        "scan.startup.mode",
                        "committed-offset",
                        "scan.bounded.mode",
                        "latest-offset"));

        String plan = tEnv.explainSql("SELECT v, op_ts FROM src");

        assertThat(plan)
                .containsPattern(
                        "TableSourceScan\\(table=\\[\\[[^\\]]*src, project=\\[v\\],"
                                + " metadata=\\[op_ts\\], watermark=\\[");
        assertThat(collect(tEnv, "SELECT v FROM src")).containsExactly("+I[a]");
    }

    @Test
    void tablesMatchedByARegexFeedOneFlinkTableWhenTheyAgree(PostgresServer pg) throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, "regex");
        db.sql(
                "CREATE TABLE orders_2023 (id int, v text, extra int)",
                "CREATE TABLE orders_2024 (v text, id int)",
                "CREATE TABLE orders_archive (id int, v text)",
                "ALTER TABLE orders_2023 REPLICA IDENTITY FULL",
                "ALTER TABLE orders_2024 REPLICA IDENTITY FULL",
                "CREATE PUBLICATION pub FOR TABLE orders_2023, orders_2024");
        db.createSlot();
        db.sql(
                "INSERT INTO orders_2023 VALUES (1, 'a', 7)",
                "INSERT INTO orders_2024 VALUES ('b', 2)",
                "INSERT INTO orders_archive VALUES (3, 'c')");
        tEnv.executeSql(
                db.ddl(
                        "src",
                        "id INT, v STRING, tbl STRING METADATA FROM 'table_name' VIRTUAL",
                        "table-name",
                        "orders_[0-9]+",
                        "publication.name",
                        "pub",
                        "scan.startup.mode",
                        "committed-offset",
                        "scan.bounded.mode",
                        "latest-offset"));

        assertThat(collect(tEnv, "SELECT * FROM src"))
                .containsExactly("+I[1, a, orders_2023]", "+I[2, b, orders_2024]");
    }

    @Test
    void tablesThatDisagreeOnADeclaredColumnAreRefused(PostgresServer pg) throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, "disagree");
        db.sql(
                "CREATE TABLE parts_a (id int, v text)",
                "CREATE TABLE parts_b (id int, v int)",
                "ALTER TABLE parts_a REPLICA IDENTITY FULL",
                "ALTER TABLE parts_b REPLICA IDENTITY FULL",
                "CREATE PUBLICATION pub FOR TABLE parts_a, parts_b");
        tEnv.executeSql(
                db.ddl(
                        "src",
                        "id INT, v STRING",
                        "table-name",
                        "parts_.*",
                        "publication.name",
                        "pub"));

        Throwable failure = catchThrowable(() -> tEnv.explainSql("SELECT * FROM src"));

        assertThat(messages(failure))
                .contains(
                        "\"public\".\"parts_a\" and \"public\".\"parts_b\" disagree on column `v`")
                .contains("text vs int4");
    }
}
