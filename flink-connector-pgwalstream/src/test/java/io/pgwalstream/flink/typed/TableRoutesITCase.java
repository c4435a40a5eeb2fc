package io.pgwalstream.flink.typed;

import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.flink.source.PgWalStreamSource;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.OutputTag;

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
 * One source over three routed tables, each table's changes to its own typed stream through side
 * outputs; a fourth published table without a route is dropped.
 */
@PostgresTest
@Timeout(180)
class TableRoutesITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    /** Public: Flink serializes public records as POJOs. */
    public record Customer(int id, String name) {}

    /** Public: Flink serializes public records as POJOs. */
    public record Payment(long id, int customerId, String amount) {}

    /** Public: Flink serializes public records as POJOs. */
    public record Audit(int id) {}

    @Test
    void eachTableReachesItsOwnTypedStream(PostgresServer pg) throws Exception {
        String db = pg.createDatabase("table_routes");
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id int PRIMARY KEY, name text)");
            s.execute(
                    "CREATE TABLE payments (id bigint PRIMARY KEY, customer_id int, amount"
                            + " numeric)");
            s.execute("CREATE TABLE audit (id int PRIMARY KEY)");
            s.execute("CREATE TABLE scratch (id int PRIMARY KEY)");
            s.execute("CREATE PUBLICATION pub FOR ALL TABLES");
            s.execute("SELECT pg_create_logical_replication_slot('" + db + "_slot', 'pgoutput')");
            s.execute("INSERT INTO customers VALUES (1, 'ada'), (2, 'bob')");
            s.execute("INSERT INTO payments VALUES (10, 1, 9.99)");
            s.execute("INSERT INTO audit VALUES (1)");
            s.execute("INSERT INTO scratch VALUES (1)");
            s.execute("UPDATE customers SET name = 'bobby' WHERE id = 2");
            s.execute("DELETE FROM payments WHERE id = 10");
        }

        TableRoutes routes = new TableRoutes();
        OutputTag<Change<Customer>> customers =
                routes.route(TableName.of("public", "customers"), Customer.class);
        OutputTag<Change<Payment>> payments =
                routes.route(
                        TableName.of("public", "payments"),
                        RowMapper.builder(Payment.class).naming(ColumnNaming.SNAKE_CASE).build());
        OutputTag<Change<Audit>> audits =
                routes.route(TableName.of("public", "audit"), Audit.class);
        PgWalStreamSource<RoutedChange> source =
                PgWalStreamSource.<RoutedChange>builder()
                        .connection(
                                PgConnectionConfig.of(
                                        pg.host(), pg.port(), db, PostgresServer.SUPERUSER))
                        .slotGroup(
                                db + "_slot",
                                "pub",
                                List.of(
                                        TableName.of("public", "customers"),
                                        TableName.of("public", "payments"),
                                        TableName.of("public", "audit"),
                                        TableName.of("public", "scratch")))
                        .stopAtCurrentLsn()
                        .deserializer(routes.deserializer())
                        .build();
        assertThatThrownBy(() -> routes.route(TableName.of("public", "scratch"), Audit.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("add every route first");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        SingleOutputStreamOperator<RoutedChange> split =
                routes.split(
                        env.fromSource(source, WatermarkStrategy.noWatermarks(), "pg-walstream")
                                .rebalance());
        DataStream<String> customerLines =
                split.getSideOutput(customers).map(c -> "customer " + c.kind() + " " + c.after());
        DataStream<String> paymentLines =
                split.getSideOutput(payments)
                        .map(
                                c ->
                                        "payment "
                                                + c.kind()
                                                + " "
                                                + (c.kind() == ChangeKind.DELETE
                                                        ? c.before()
                                                        : c.after()));
        DataStream<String> auditLines =
                split.getSideOutput(audits).map(c -> "audit " + c.kind() + " " + c.after());
        List<String> out = new ArrayList<>();
        try (CloseableIterator<String> it =
                customerLines.union(paymentLines, auditLines).executeAndCollect()) {
            it.forEachRemaining(out::add);
        }

        assertThat(out)
                .containsExactlyInAnyOrder(
                        "customer INSERT " + new Customer(1, "ada"),
                        "customer INSERT " + new Customer(2, "bob"),
                        "customer UPDATE " + new Customer(2, "bobby"),
                        "payment INSERT " + new Payment(10, 1, "9.99"),
                        "payment DELETE " + new Payment(10, 0, null),
                        "audit INSERT " + new Audit(1));
    }
}
