package io.pgwalstream.flink.source;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.protocol.LogicalMessage;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pg_logical_emit_message} through the DataStream source with {@code messages(true)}:
 * transactional messages arrive inside their transaction, in order with its changes, and vanish
 * with a rollback; non-transactional ones arrive even when their transaction rolls back. The
 * deserializer is opened once per reader, with the reader's metric group.
 */
@PostgresTest
@Timeout(180)
class LogicalMessagesITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @Test
    void messagesReachTheDeserializerWithTheirPrefixContentAndTransaction(PostgresServer pg)
            throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "messages");
        db.createSlotAndReadPosition(0);
        db.sql(
                "BEGIN",
                "INSERT INTO items VALUES (1, 'a')",
                "SELECT pg_logical_emit_message(true, 'app', 'after insert 1')",
                "COMMIT",
                "BEGIN",
                "SELECT pg_logical_emit_message(true, 'app', 'rolled back')",
                "SELECT pg_logical_emit_message(false, 'audit', 'kept despite rollback')",
                "INSERT INTO items VALUES (2, 'b')",
                "ROLLBACK",
                "SELECT pg_logical_emit_message(true, 'app', convert_to('bytes ✓', 'UTF8'))");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        MessageText.OPENED.set(0);
        PgWalStreamSource<String> source =
                db.source(1)
                        .messages(true)
                        .stopAtCurrentLsn()
                        .deserializer(new MessageText())
                        .build();
        List<String> out = new ArrayList<>();
        try (CloseableIterator<String> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "pg-walstream")
                        .executeAndCollect()) {
            it.forEachRemaining(out::add);
        }

        assertThat(out)
                .containsExactly(
                        "INSERT items",
                        "M tx app 'after insert 1' in the insert's transaction",
                        "M non-tx audit 'kept despite rollback'",
                        "M tx app 'bytes ✓'");
        // Opened once, by the one reader, before its first event (else the counter is null).
        assertThat(MessageText.OPENED).hasValue(1);
    }

    /**
     * Messages as text, rows as their kind and table; ties a message to its transaction. Counts
     * messages in a metric registered in {@link #open}.
     */
    static final class MessageText implements ChangeEventDeserializer<String> {
        static final AtomicInteger OPENED = new AtomicInteger();
        private int insertXid;
        private transient Counter messages;

        @Override
        public void open(DeserializationSchema.InitializationContext context) {
            OPENED.incrementAndGet();
            messages = context.getMetricGroup().addGroup("app").counter("messages");
        }

        @Override
        public void deserialize(ChangeEvent event, Collector<String> out) {
            if (event.kind() != ChangeKind.MESSAGE) {
                insertXid = event.transaction().xid();
                out.collect(event.kind() + " " + event.relation().tableName());
                return;
            }
            messages.inc();
            LogicalMessage m = event.message();
            String text =
                    "M "
                            + (m.transactional() ? "tx " : "non-tx ")
                            + m.prefix()
                            + " '"
                            + m.contentAsString()
                            + "'";
            if (m.transactional() && event.transaction().xid() == insertXid) {
                text += " in the insert's transaction";
            }
            out.collect(text);
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
