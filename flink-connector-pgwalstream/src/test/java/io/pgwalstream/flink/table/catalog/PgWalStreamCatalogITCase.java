package io.pgwalstream.flink.table.catalog;

import io.pgwalstream.replication.TableName;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.ExplainDetail;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code CREATE CATALOG … ('type' = 'pg-walstream')}: schemas and tables listed, schema, key and
 * changelog mode derived from PostgreSQL, tables read without a {@code CREATE TABLE}, options per
 * query through hints, DDL refused.
 */
@PostgresTest
@Timeout(300)
class PgWalStreamCatalogITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void aDatabaseIsBrowsedAndReadWithoutCreateTable(PostgresServer pg) throws Exception {
        String db = pg.createDatabase("catalog");
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric(10,2), note text)");
            s.execute("CREATE TABLE events (at timestamptz, what text)");
            s.execute("ALTER TABLE events REPLICA IDENTITY FULL");
            s.execute("CREATE TABLE nokey (v text)");
            s.execute("CREATE SCHEMA sales");
            s.execute("CREATE TABLE sales.\"Leads\" (id int PRIMARY KEY, name text)");
            s.execute("INSERT INTO orders VALUES (1, 9.99, 'first'), (2, 20.00, NULL)");
            s.execute("INSERT INTO events VALUES ('2026-12-04 10:00:00+00', 'opened')");
            s.execute("INSERT INTO sales.\"Leads\" VALUES (7, 'Ada')");
        }
        TableEnvironment tEnv = tableEnvironment();
        tEnv.executeSql(
                "CREATE CATALOG pg WITH ("
                        + " 'type' = 'pg-walstream',"
                        + " 'hostname' = '"
                        + pg.host()
                        + "', 'port' = '"
                        + pg.port()
                        + "', 'username' = '"
                        + PostgresServer.SUPERUSER
                        + "', 'database-name' = '"
                        + db
                        + "', 'scan.startup.mode' = 'snapshot',"
                        + " 'publication.auto-create' = 'true')");

        assertThat(rows(tEnv, "SHOW DATABASES IN pg")).contains("+I[public]", "+I[sales]");
        assertThat(rows(tEnv, "SHOW TABLES IN pg.public"))
                .containsExactly("+I[events]", "+I[nokey]", "+I[orders]");
        assertThat(rows(tEnv, "SHOW TABLES IN pg.sales")).containsExactly("+I[Leads]");

        CatalogBaseTable orders =
                tEnv.getCatalog("pg").orElseThrow().getTable(new ObjectPath("public", "orders"));
        Schema schema = orders.getUnresolvedSchema();
        assertThat(schema.getColumns().toString())
                .contains("`id` BIGINT NOT NULL", "`amount` DECIMAL(10, 2)", "`note` STRING");
        assertThat(schema.getPrimaryKey().orElseThrow().getColumnNames()).containsExactly("id");
        assertThat(orders.getOptions())
                .containsEntry("slot.name", "flink_public_orders")
                .containsEntry("table-name", "orders");
        assertThat(
                        tEnv.getCatalog("pg")
                                .orElseThrow()
                                .getTable(new ObjectPath("public", "events"))
                                .getUnresolvedSchema()
                                .getPrimaryKey())
                .as("a FULL table without a key")
                .isEmpty();

        // Upserts for the keyed table, every row kind for the FULL one.
        assertThat(tEnv.explainSql("SELECT * FROM pg.public.orders", ExplainDetail.CHANGELOG_MODE))
                .contains("changelogMode=[I,UA,D]");
        assertThat(tEnv.explainSql("SELECT * FROM pg.public.events", ExplainDetail.CHANGELOG_MODE))
                .contains("changelogMode=[I,UB,UA,D]");

        assertThat(rows(tEnv, "SELECT id, amount, note FROM pg.public.orders"))
                .containsExactlyInAnyOrder("+I[1, 9.99, first]", "+I[2, 20.00, null]");
        assertThat(rows(tEnv, "SELECT what FROM pg.public.events")).containsExactly("+I[opened]");
        assertThat(rows(tEnv, "SELECT id, name FROM pg.sales.`Leads`"))
                .containsExactly("+I[7, Ada]");

        // Hints override the catalog's defaults: no snapshot, the changes after now on a slot of
        // the query's choosing.
        assertThat(
                        rows(
                                tEnv,
                                "SELECT id FROM pg.public.orders /*+ OPTIONS("
                                        + "'slot.name' = 'catalog_orders_hinted',"
                                        + " 'scan.startup.mode' = 'latest-offset',"
                                        + " 'scan.bounded.mode' = 'latest-offset') */"))
                .isEmpty();
        assertThat(
                        rows(
                                pg,
                                db,
                                "SELECT slot_name FROM pg_replication_slots"
                                        + " WHERE slot_name = 'catalog_orders_hinted'"))
                .containsExactly("catalog_orders_hinted");
        rows(pg, db, "SELECT pg_drop_replication_slot('catalog_orders_hinted')::text");

        assertThatThrownBy(() -> tEnv.executeSql("CREATE TABLE pg.public.x (id INT)"))
                .hasStackTraceContaining("is read-only");
        assertThatThrownBy(() -> tEnv.executeSql("DROP TABLE pg.public.orders"))
                .hasStackTraceContaining("is read-only");
        assertThatThrownBy(() -> tEnv.executeSql("SELECT * FROM pg.public.nokey").await())
                .as("a table without key or FULL identity: the planning error of such tables")
                .hasStackTraceContaining("REPLICA IDENTITY");
    }

    @Test
    void slotNamesAreDerivedWithinPostgresLimits() {
        assertThat(CatalogTables.slotName(TableName.of("Sales", "Big-Table")))
                .isEqualTo("flink_sales_big_table");
        String longName = "t".repeat(60);
        String slot = CatalogTables.slotName(TableName.of("public", longName));
        assertThat(slot).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9_]+");
        assertThat(CatalogTables.slotName(TableName.of("public", longName + "x")))
                .hasSizeLessThanOrEqualTo(63)
                .isNotEqualTo(slot);
        assertThat(CatalogTables.literal("a.b(c)")).isEqualTo("a\\.b\\(c\\)");
    }

    private static TableEnvironment tableEnvironment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        TableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.getConfig().set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return tEnv;
    }

    private static List<String> rows(TableEnvironment tEnv, String query) throws Exception {
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(query).collect()) {
            it.forEachRemaining(r -> rows.add(r.toString()));
        }
        return rows;
    }

    private static List<String> rows(PostgresServer pg, String db, String query) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement();
                var rs = s.executeQuery(query)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
