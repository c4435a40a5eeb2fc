package io.pgwalstream.flink.source;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.testing.Await;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Restoring a savepoint older than the slot's confirmed position: refused with an error that says
 * what happened and how to proceed, or — with {@code acceptRestoreGap(true)} — started with the gap
 * logged.
 */
@PostgresTest
@Timeout(300)
class PgWalStreamSourceRestoreITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void aSavepointOlderThanTheSlotIsRefusedUnlessTheGapIsAccepted(
            PostgresServer pg, @TempDir Path savepoints) throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "restore_gap");
        db.createSlotAndReadPosition(0);
        db.sql("INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 100) g");

        // Run 1: read rows 1..100, then stop with a savepoint.
        Collect.OUT.clear();
        JobClient first = start(db.source(1).build(), null);
        await(() -> Collect.OUT.size() == 100, "the first run reads 100 rows");
        String savepoint =
                first.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get();
        Lsn atSavepoint = db.confirmedFlush(0);

        // Meanwhile the slot moves on without the job: rows 101..200 are released.
        db.sql("INSERT INTO items SELECT g, 'v' || g FROM generate_series(101, 200) g");
        advanceSlotToCurrentWal(db);
        Lsn advanced = db.confirmedFlush(0);
        assertThat(advanced).isGreaterThan(atSavepoint);

        // Run 2: restoring the older savepoint fails, naming both positions and the way out.
        JobClient refused = start(db.source(1).build(), savepoint);
        assertThatThrownBy(() -> refused.getJobExecutionResult().get())
                .isInstanceOf(ExecutionException.class)
                .satisfies(
                        e -> {
                            Optional<Throwable> gap =
                                    ExceptionUtils.findThrowableWithMessage(
                                            e, "has already confirmed " + advanced);
                            assertThat(gap).as("the restore-gap error in %s", e).isPresent();
                            assertThat(gap.get().getMessage())
                                    .contains("Slot '" + db.slot(0) + "'")
                                    .contains("acceptRestoreGap(true)")
                                    .contains("Restore the latest checkpoint");
                        });
        assertThat(db.confirmedFlush(0)).isEqualTo(advanced);

        // Run 3: with the gap accepted the job starts, logs the gap, and reads on from the slot.
        awaitSlotReleased(db);
        Collect.OUT.clear();
        try (LogCapture logs = new LogCapture()) {
            JobClient accepted = start(db.source(1).acceptRestoreGap(true).build(), savepoint);
            try {
                db.sql("INSERT INTO items SELECT g, 'v' || g FROM generate_series(201, 210) g");
                await(() -> Collect.OUT.size() >= 10, "the accepted run reads rows 201..210");
                assertThat(List.copyOf(Collect.OUT))
                        .containsExactlyElementsOf(
                                java.util.stream.IntStream.rangeClosed(201, 210)
                                        .mapToObj(i -> "+I items " + i + " v" + i)
                                        .toList());
                assertThat(logs.messages())
                        .anySatisfy(
                                m ->
                                        assertThat(m)
                                                .contains("has already confirmed " + advanced)
                                                .contains("past the restored position")
                                                .contains("gap was accepted"));
            } finally {
                accepted.cancel().get();
            }
        }
    }

    /**
     * A slot made before the rows: the stream after the snapshot skips them, and so must the stream
     * restored from a savepoint taken before its first change.
     */
    @Test
    void aRestoreAfterTheSnapshotOfAnOlderSlotDoesNotReplayTheSnapshotRows(
            PostgresServer pg, @TempDir Path savepoints) throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "restore_after_snapshot");
        db.createSlotAndReadPosition(0);
        db.sql("INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 100) g");

        Collect.OUT.clear();
        JobClient first = start(db.source(1).startWithSnapshot().build(), null);
        await(() -> Collect.OUT.size() == 100, "the snapshot reads 100 rows");
        // Checkpoints every 200 ms: let two complete while the stream sits idle after it.
        long checkpoints = Collect.CHECKPOINTS.get();
        await(
                () -> Collect.CHECKPOINTS.get() >= checkpoints + 2,
                "two checkpoints after the snapshot");
        String savepoint =
                first.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get();
        assertThat(List.copyOf(Collect.OUT)).allMatch(r -> r.startsWith("+S items "));
        awaitSlotReleased(db);

        Collect.OUT.clear();
        JobClient restored = start(db.source(1).startWithSnapshot().build(), savepoint);
        try {
            db.sql("INSERT INTO items VALUES (101, 'v101')");
            // A replay of the snapshot's rows would come first: they are earlier in the WAL.
            await(
                    () -> Collect.OUT.contains("+I items 101 v101"),
                    "the restored run reads row 101");
            assertThat(List.copyOf(Collect.OUT)).containsExactly("+I items 101 v101");
        } finally {
            restored.cancel().get();
        }
    }

    private static JobClient start(PgWalStreamSource<String> source, String savepoint)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(200);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "pg-walstream")
                .uid("pg-walstream-source")
                .map(new Collect())
                .sinkTo(new DiscardingSink<>());
        return env.executeAsync("restore-gap");
    }

    private static void advanceSlotToCurrentWal(SourceTestDatabase db) throws Exception {
        awaitSlotReleased(db);
        db.sql("SELECT pg_replication_slot_advance('" + db.slot(0) + "', pg_current_wal_lsn())");
    }

    /** A walsender keeps the slot briefly after its client went away. */
    private static void awaitSlotReleased(SourceTestDatabase db) throws Exception {
        await(
                () -> {
                    try {
                        return db.activePid(0) == 0;
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                },
                "slot " + db.slot(0) + " is released");
    }

    private static void await(BooleanSupplier condition, String what) throws Exception {
        Await.until(what, Duration.ofSeconds(60), condition::getAsBoolean);
    }

    /**
     * Records what passes, in a JVM-wide queue (the MiniCluster runs in this JVM), and counts the
     * completed checkpoints.
     */
    static final class Collect implements MapFunction<String, String>, CheckpointListener {
        static final ConcurrentLinkedQueue<String> OUT = new ConcurrentLinkedQueue<>();
        static final AtomicLong CHECKPOINTS = new AtomicLong();

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS.incrementAndGet();
        }

        @Override
        public String map(String value) {
            OUT.add(value);
            return value;
        }
    }
}
