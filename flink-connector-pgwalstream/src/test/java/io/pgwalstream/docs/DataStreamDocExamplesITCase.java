package io.pgwalstream.docs;

import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.flink.source.PgWalStreamSource;
import io.pgwalstream.flink.typed.Change;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of {@code docs/datastream.md}, run as written against a real server: all but the
 * first, whose host and TLS settings only illustrate the builder (it is compiled).
 */
@PostgresTest
@Timeout(180)
class DataStreamDocExamplesITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void theTypedChangesExampleReadsTheOrdersAsRecords(PostgresServer pg) throws Exception {
        String db = pg.createDatabase("doc_typed");
        sql(
                pg,
                db,
                "CREATE TABLE orders (order_id bigint PRIMARY KEY, customer text, total numeric,"
                        + " tags text[])",
                "CREATE PUBLICATION orders_pub FOR TABLE orders",
                "SELECT pg_create_logical_replication_slot('orders_slot', 'pgoutput')",
                "INSERT INTO orders VALUES (1, 'ada', 12.50, '{vip}')");
        DataStreamDocExamples.TypedChanges.config = config(pg, db);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<Change<DataStreamDocExamples.TypedChanges.Order>> changes =
                env.fromSource(
                                new DataStreamDocExamples.TypedChanges().source,
                                WatermarkStrategy.noWatermarks(),
                                "pg-walstream")
                        .executeAndCollect(1);
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).kind()).isEqualTo(ChangeKind.SNAPSHOT);
        assertThat(changes.get(0).after())
                .isEqualTo(
                        new DataStreamDocExamples.TypedChanges.Order(
                                1, "ada", new BigDecimal("12.50"), List.of("vip")));
    }

    @Test
    void theTableRoutesExampleGivesEachTableItsStream(PostgresServer pg) throws Exception {
        String db = pg.createDatabase("doc_routes");
        sql(
                pg,
                db,
                "CREATE TABLE customers (id int PRIMARY KEY, name text)",
                "CREATE TABLE payments (id bigint PRIMARY KEY, customer_id int, amount numeric)",
                "CREATE PUBLICATION shop_pub FOR TABLE customers, payments",
                "SELECT pg_create_logical_replication_slot('shop_slot', 'pgoutput')",
                "INSERT INTO payments VALUES (1, 7, 9.99)",
                "INSERT INTO customers VALUES (7, 'ada')");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<Change<DataStreamDocExamples.Customer>> customers =
                new DataStreamDocExamples().tableRoutes(config(pg, db), env).executeAndCollect(1);
        assertThat(customers).hasSize(1);
        assertThat(customers.get(0).after())
                .isEqualTo(new DataStreamDocExamples.Customer(7, "ada"));
    }

    @Test
    void theRowDataAndChangeRowExamplesReadTheirTables(PostgresServer pg) throws Exception {
        String db = pg.createDatabase("doc_rows");
        sql(
                pg,
                db,
                "CREATE TABLE items (id int PRIMARY KEY, v text)",
                "ALTER TABLE items REPLICA IDENTITY FULL",
                "CREATE PUBLICATION items_pub FOR TABLE items",
                "SELECT pg_create_logical_replication_slot('items_slot', 'pgoutput')",
                "INSERT INTO items VALUES (1, 'a')",
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer text, total numeric,"
                        + " created_at timestamptz, tags text[])",
                "CREATE PUBLICATION orders_pub FOR TABLE orders",
                // Slot names are cluster-wide: the typed example's test holds "orders_slot".
                "SELECT pg_create_logical_replication_slot('order_events_slot', 'pgoutput')",
                "INSERT INTO orders VALUES (5, 'ada', 1.25, '2024-05-06 07:08:09+00', '{x}')");
        DataStreamDocExamples examples = new DataStreamDocExamples();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<RowData> rows =
                env.fromSource(
                                examples.rowData(config(pg, db)),
                                WatermarkStrategy.noWatermarks(),
                                "pg-walstream")
                        .executeAndCollect(1);
        assertThat(rows.get(0).getInt(0)).isEqualTo(1);
        assertThat(rows.get(0).getString(1).toString()).isEqualTo("a");

        PgWalStreamSource<DataStreamDocExamples.OrderEvent> orders =
                PgWalStreamSource.<DataStreamDocExamples.OrderEvent>builder()
                        .connection(config(pg, db))
                        .slotGroup(
                                "order_events_slot",
                                "orders_pub",
                                List.of(TableName.of("public", "orders")))
                        .deserializer(examples.new OrderEvents())
                        .build();
        List<DataStreamDocExamples.OrderEvent> events =
                env.fromSource(orders, WatermarkStrategy.noWatermarks(), "pg-walstream")
                        .executeAndCollect(1);
        assertThat(events)
                .containsExactly(
                        new DataStreamDocExamples.OrderEvent(
                                ChangeKind.INSERT,
                                5L,
                                "ada",
                                new BigDecimal("1.25"),
                                Instant.parse("2024-05-06T07:08:09Z"),
                                List.of("x")));
    }

    private static PgConnectionConfig config(PostgresServer pg, String db) {
        return PgConnectionConfig.of(pg.host(), pg.port(), db, PostgresServer.SUPERUSER);
    }

    private static void sql(PostgresServer pg, String db, String... statements) throws Exception {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
