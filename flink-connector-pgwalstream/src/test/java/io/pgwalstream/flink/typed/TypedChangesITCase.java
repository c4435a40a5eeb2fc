package io.pgwalstream.flink.typed;

import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.flink.source.PgWalStreamSource;
import io.pgwalstream.flink.source.PgWalStreamSourceBuilder;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Typed changes through the DataStream source: a record per row, by column name, from the initial
 * snapshot and the stream, with the metadata, serialized between operators by the POJO serializer
 * (the job runs with a rebalance, so every change crosses the network).
 */
@PostgresTest
@Timeout(180)
class TypedChangesITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    /** Public: Flink serializes public records as POJOs. */
    public record Order(long orderId, String customer, BigDecimal total, List<String> tags) {}

    private static List<Change<Order>> run(PostgresServer pg, String db, boolean snapshot)
            throws Exception {
        PgWalStreamSourceBuilder<Change<Order>> builder =
                PgWalStreamSource.<Change<Order>>builder()
                        .connection(
                                PgConnectionConfig.of(
                                        pg.host(), pg.port(), db, PostgresServer.SUPERUSER))
                        .slotGroup(
                                db + (snapshot ? "_snap" : "_slot"),
                                "pub",
                                List.of(
                                        TableName.of("public", "orders"),
                                        TableName.of("public", "other")))
                        .deserializer(
                                TypedChangeDeserializer.of(
                                                RowMapper.builder(Order.class)
                                                        .naming(ColumnNaming.SNAKE_CASE)
                                                        .build())
                                        .forTable("public", "orders"));
        if (snapshot) {
            builder.snapshotOnly();
        } else {
            builder.stopAtCurrentLsn();
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<Change<Order>> out = new ArrayList<>();
        try (CloseableIterator<Change<Order>> it =
                env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "pg-walstream")
                        .rebalance()
                        .executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void snapshotRowsAndChangesArriveAsRecordsWithTheirMetadata(PostgresServer pg)
            throws Exception {
        String db = pg.createDatabase("typed_changes");
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE orders (order_id bigint PRIMARY KEY, customer text,"
                            + " total numeric(10,2), tags text[])");
            s.execute("CREATE TABLE other (id int PRIMARY KEY)");
            s.execute("CREATE PUBLICATION pub FOR TABLE orders, other");
            s.execute("INSERT INTO orders VALUES (1, 'ada', 12.50, '{new}')");
        }
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_create_logical_replication_slot('" + db + "_slot', 'pgoutput')");
            s.execute("INSERT INTO other VALUES (1)");
            s.execute("INSERT INTO orders VALUES (2, 'bob', 3.00, '{}')");
            s.execute("UPDATE orders SET total = 14.00, tags = '{paid,vip}' WHERE order_id = 2");
            s.execute("DELETE FROM orders WHERE order_id = 2");
        }
        List<Change<Order>> out = new ArrayList<>();
        // The rows as they are now (one), then, from the slot, the changes since it was created.
        out.addAll(run(pg, db, true));
        out.addAll(run(pg, db, false));

        List<String> kinds = new ArrayList<>();
        for (Change<Order> change : out) {
            kinds.add(change.kind() + " " + change.before() + " -> " + change.after());
            assertThat(change.schema()).isEqualTo("public");
            assertThat(change.table()).isEqualTo("orders");
        }
        assertThat(kinds)
                .containsExactlyInAnyOrder(
                        "SNAPSHOT null -> "
                                + new Order(1, "ada", new BigDecimal("12.50"), List.of("new")),
                        "INSERT null -> " + new Order(2, "bob", new BigDecimal("3.00"), List.of()),
                        "UPDATE null -> "
                                + new Order(
                                        2, "bob", new BigDecimal("14.00"), List.of("paid", "vip")),
                        "DELETE " + new Order(2, null, null, null) + " -> null");
        Change<Order> snapshotRow =
                out.stream().filter(Change::fromSnapshot).findFirst().orElseThrow();
        assertThat(snapshotRow.commitTime()).isNull();
        assertThat(snapshotRow.xid()).isZero();
        Change<Order> insert =
                out.stream().filter(c -> c.kind() == ChangeKind.INSERT).findFirst().orElseThrow();
        assertThat(insert.xid()).isPositive();
        assertThat(insert.lsn()).isPositive().isLessThan(snapshotRow.lsn()); // read afterwards
        assertThat(insert.commitTime())
                .isBefore(Instant.now())
                .isAfter(Instant.now().minusSeconds(300));
    }
}
