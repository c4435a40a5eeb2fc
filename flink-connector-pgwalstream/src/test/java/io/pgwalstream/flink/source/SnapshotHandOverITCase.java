package io.pgwalstream.flink.source;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.replication.ReconnectPolicy;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.testing.Await;
import io.pgwalstream.testing.postgres.EveryPostgresVersion;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The initial snapshot of a 100k-row table on a MiniCluster, read by two readers while a writer
 * inserts, updates (also keys), deletes and rolls back: the output, replayed strictly, is every row
 * once and every later change once, checked against what PostgreSQL committed. Every update raises
 * the row's {@code version}, so a change emitted twice or lost breaks the chain of versions, and a
 * rolled-back change shows as a row or version that never existed.
 */
@PostgresTest
@Timeout(600)
class SnapshotHandOverITCase {

    private static final int ROWS = 100_000;
    private static final int MARKER = -1;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @EveryPostgresVersion
    void snapshotThenStreamUnderConcurrentWritesEmitsEveryRowAndChangeOnce(PostgresServer pg)
            throws Exception {
        SourceTestDatabase db = accounts(pg, "snapshot_handover");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200);

        Writer writer = new Writer(db, 7);
        Replay replay = new Replay();
        try (CloseableIterator<String> it =
                env.fromSource(source(db), WatermarkStrategy.noWatermarks(), "pg-walstream")
                        .executeAndCollect("snapshot-handover")) {
            writer.start();
            while (it.hasNext()) {
                String record = it.next();
                if (record.equals("I|" + MARKER + "|0")) {
                    break;
                }
                replay.apply(record);
                if (replay.snapshotRows == ROWS / 2) {
                    writer.finishAfter(300);
                }
            }
        } finally {
            writer.stop();
        }
        writer.rethrow();

        assertThat(replay.snapshotRows).isGreaterThanOrEqualTo(ROWS);
        assertThat(writer.committed()).as("the writer ran during the snapshot").isGreaterThan(50);
        assertThat(replay.changes).isGreaterThan(0);
        replay.assertEquals(db);
        assertNothingLeft(db);
    }

    /**
     * The job stops with a savepoint mid-snapshot, which ends its exported snapshot, and a new job
     * resumes from the savepoint — what a JobManager failover does to the enumerator. Chunks not
     * yet emitted are read under a new snapshot and the stream drops, per key, what they already
     * hold. Checked through a transactional collector: only what completed checkpoints published
     * counts.
     */
    @Test
    void aRestoreMidSnapshotResumesUnderANewSnapshotExactlyOnce(
            PostgresServer pg, @TempDir Path savepoints) throws Exception {
        SourceTestDatabase db = accounts(pg, "snapshot_restore");
        CheckpointCommittingCollector.reset();
        Writer writer = new Writer(db, 11);
        Replay replay = new Replay();
        try (LogCapture logs = new LogCapture(Level.INFO)) {
            JobClient first = startCollecting(db, null);
            writer.start();
            Await.until(
                    "a quarter of the snapshot published",
                    Duration.ofSeconds(120),
                    () ->
                            CheckpointCommittingCollector.published().stream()
                                            .filter(r -> r.startsWith("S|"))
                                            .count()
                                    >= ROWS / 4);
            String savepoint =
                    first.stopWithSavepoint(
                                    false,
                                    savepoints.toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get();
            long beforeRestore =
                    CheckpointCommittingCollector.published().stream()
                            .filter(r -> r.startsWith("S|"))
                            .count();
            assertThat(beforeRestore)
                    .as("the savepoint falls inside the snapshot")
                    .isLessThan(ROWS);

            JobClient second = startCollecting(db, savepoint);
            try {
                writer.finishAfter(300);
                Await.until(
                        "the marker published",
                        Duration.ofSeconds(240),
                        () ->
                                CheckpointCommittingCollector.published()
                                        .contains("I|" + MARKER + "|0"));
            } finally {
                second.cancel().get();
                writer.stop();
            }
            writer.rethrow();
            assertThat(logs.messages())
                    .as("the restored enumerator resumed the snapshot under a new one")
                    .anyMatch(m -> m.startsWith("Resuming the initial snapshot of slot group"));
        }
        for (String record : CheckpointCommittingCollector.published()) {
            if (!record.equals("I|" + MARKER + "|0")) {
                replay.apply(record);
            }
        }
        replay.assertEquals(db);
        assertNothingLeft(db);
    }

    /**
     * A task fails mid-snapshot (Flink restarts the tasks, the enumerator and its exported snapshot
     * live on): chunks given back are read again under the same snapshot, reports of rolled-back
     * chunks are forgotten, and the result is exactly once.
     */
    @Test
    void aTaskFailureMidSnapshotRereadsUnderTheSameSnapshotExactlyOnce(PostgresServer pg)
            throws Exception {
        SourceTestDatabase db = accounts(pg, "snapshot_task_failure");
        CheckpointCommittingCollector.reset();
        PgWalStreamSourceITCase.FailOnce.reset(ROWS / 3);
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200);
        env.fromSource(source(db), WatermarkStrategy.noWatermarks(), "pg-walstream")
                .map(new Throttle())
                .setParallelism(1)
                .map(new PgWalStreamSourceITCase.FailOnce())
                .setParallelism(1)
                .flatMap(new CheckpointCommittingCollector(0))
                .setParallelism(1)
                .sinkTo(new DiscardingSink<>())
                .setParallelism(1);
        Writer writer = new Writer(db, 17);
        Replay replay = new Replay();
        JobClient job = env.executeAsync("snapshot-task-failure");
        try {
            writer.start();
            Await.until(
                    "the job failed once and the marker was published",
                    Duration.ofSeconds(240),
                    () -> {
                        if (PgWalStreamSourceITCase.FailOnce.FAILED.get()) {
                            writer.finishAfter(300);
                        }
                        return CheckpointCommittingCollector.published()
                                .contains("I|" + MARKER + "|0");
                    });
        } finally {
            job.cancel().get();
            writer.stop();
        }
        writer.rethrow();
        for (String record : CheckpointCommittingCollector.published()) {
            if (!record.equals("I|" + MARKER + "|0")) {
                replay.apply(record);
            }
        }
        assertThat(replay.snapshotRows).isGreaterThanOrEqualTo(ROWS);
        replay.assertEquals(db);
        assertNothingLeft(db);
    }

    private static JobClient startCollecting(SourceTestDatabase db, String savepoint)
            throws Exception {
        Configuration conf = new Configuration();
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200);
        env.fromSource(source(db), WatermarkStrategy.noWatermarks(), "pg-walstream")
                .uid("pg-walstream")
                .map(new Throttle())
                .uid("throttle")
                .setParallelism(1)
                .flatMap(new CheckpointCommittingCollector(0))
                .uid("collector")
                .setParallelism(1)
                .sinkTo(new DiscardingSink<>())
                .setParallelism(1);
        return env.executeAsync("snapshot-restore");
    }

    /**
     * The exporting connection is terminated mid-snapshot while the job runs: readers find the
     * snapshot gone, the enumerator exports a new one, and the hand-over stays exact.
     */
    @Test
    void aTerminatedExportingConnectionIsReplacedExactlyOnce(PostgresServer pg) throws Exception {
        SourceTestDatabase db = accounts(pg, "snapshot_terminated");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        Writer writer = new Writer(db, 13);
        Replay replay = new Replay();
        boolean terminated = false;
        try (LogCapture logs = new LogCapture();
                CloseableIterator<String> it =
                        env.fromSource(source(db), WatermarkStrategy.noWatermarks(), "pg-walstream")
                                .map(new Throttle())
                                .executeAndCollect("snapshot-terminated")) {
            writer.start();
            while (it.hasNext()) {
                String record = it.next();
                if (record.equals("I|" + MARKER + "|0")) {
                    break;
                }
                replay.apply(record);
                if (!terminated && replay.snapshotRows >= ROWS / 4) {
                    terminated = terminateExporter(db);
                    writer.finishAfter(300);
                }
            }
            writer.stop();
            writer.rethrow();
            assertThat(terminated).as("the exporting walsender was terminated").isTrue();
            assertThat(logs.messages())
                    .anyMatch(m -> m.contains("a new one takes over the chunks still to read"));
        } finally {
            writer.stop();
        }
        replay.assertEquals(db);
        assertNothingLeft(db);
    }

    /** Slows records down so the snapshot is still running when the test interferes. */
    static final class Throttle implements MapFunction<String, String> {
        @Override
        public String map(String value) {
            if (value.startsWith("S|")) {
                LockSupport.parkNanos(50_000);
            }
            return value;
        }
    }

    private static boolean terminateExporter(SourceTestDatabase db) throws SQLException {
        String pid =
                db.queryString(
                        "SELECT coalesce(max(active_pid), 0)::text FROM pg_replication_slots"
                                + " WHERE slot_name LIKE '"
                                + db.slot(0)
                                + "_snap_%'");
        if (pid.equals("0")) {
            return false;
        }
        db.sql("SELECT pg_terminate_backend(" + pid + ")");
        return true;
    }

    private static SourceTestDatabase accounts(PostgresServer pg, String name) throws SQLException {
        SourceTestDatabase db = SourceTestDatabase.create(pg, name);
        db.sql(
                "CREATE TABLE accounts (id int PRIMARY KEY, version int NOT NULL, note text)",
                "ALTER TABLE accounts REPLICA IDENTITY FULL",
                "CREATE PUBLICATION pub_accounts FOR TABLE accounts",
                "INSERT INTO accounts SELECT g, 0, 'row ' || g FROM generate_series(1, "
                        + ROWS
                        + ") g",
                "ANALYZE accounts");
        return db;
    }

    private static PgWalStreamSource<String> source(SourceTestDatabase db) {
        return PgWalStreamSource.<String>builder()
                .connection(db.config())
                .slotGroup(db.slot(0), "pub_accounts", List.of(TableName.of("public", "accounts")))
                .createSlots(true)
                .binary(true)
                .reconnectPolicy(ReconnectPolicy.DEFAULT)
                .statusInterval(Duration.ofSeconds(1))
                .startWithSnapshot()
                .snapshotChunks(2_000, null)
                .deserializer(new VersionedRows())
                .build();
    }

    /**
     * After the job ended (success, failure or cancel): no temporary snapshot slot, no session of
     * the connector on the database — hence no exported snapshot, no open or idle transaction — and
     * no backend of the database holding back vacuum with a snapshot.
     */
    static void assertNothingLeft(SourceTestDatabase db) throws Exception {
        Await.until(
                "no temporary snapshot slot is left",
                Duration.ofSeconds(30),
                () ->
                        db.queryString(
                                        "SELECT count(*) FROM pg_replication_slots WHERE"
                                                + " slot_name LIKE '"
                                                + db.slot(0)
                                                + "_snap_%'")
                                .equals("0"));
        Await.until(
                "no session of the connector, no open transaction or snapshot is left",
                Duration.ofSeconds(30),
                () -> db.queryString(SESSIONS_LEFT).equals("0"));
    }

    private static final String SESSIONS_LEFT =
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND pid <> pg_backend_pid() AND (application_name = 'pg-walstream'"
                    + " OR state LIKE 'idle in transaction%' OR backend_xmin IS NOT NULL)";

    @Test
    void aCancelledSnapshotLeavesNothingBehind(PostgresServer pg) throws Exception {
        SourceTestDatabase db = accounts(pg, "snapshot_cancelled");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        env.fromSource(source(db), WatermarkStrategy.noWatermarks(), "pg-walstream")
                .map(new Throttle())
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("snapshot-cancelled");
        awaitExportHeld(db);
        assertThat(Integer.parseInt(db.queryString(SESSIONS_LEFT)))
                .as("the check sees the running snapshot's sessions")
                .isGreaterThan(0);
        job.cancel().get();
        assertNothingLeft(db);
    }

    @Test
    void aFailedSnapshotLeavesNothingBehind(PostgresServer pg) throws Exception {
        SourceTestDatabase db = accounts(pg, "snapshot_failed");
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200);
        env.fromSource(source(db), WatermarkStrategy.noWatermarks(), "pg-walstream")
                .map(new Throttle())
                .map(new FailAt(ROWS / 5))
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("snapshot-failed");
        awaitExportHeld(db);
        Await.until(
                "the job failed",
                Duration.ofSeconds(120),
                () -> job.getJobStatus().get().isGloballyTerminalState());
        assertThat(job.getJobStatus().get().name()).isEqualTo("FAILED");
        assertNothingLeft(db);
    }

    /** Until the snapshot runs: its exported snapshot (a temporary slot) is held. */
    private static void awaitExportHeld(SourceTestDatabase db) throws Exception {
        Await.until(
                "the exported snapshot is held",
                Duration.ofSeconds(60),
                () ->
                        !db.queryString(
                                        "SELECT count(*) FROM pg_replication_slots WHERE"
                                                + " slot_name LIKE '"
                                                + db.slot(0)
                                                + "_snap_%'")
                                .equals("0"));
    }

    /** Fails the job at the n-th record of a subtask. */
    private static final class FailAt implements MapFunction<String, String> {
        private final long at;
        private long seen;

        FailAt(long at) {
            this.at = at;
        }

        @Override
        public String map(String value) {
            if (++seen == at) {
                throw new IllegalStateException("Failing the job mid-snapshot, as the test asks");
            }
            return value;
        }
    }

    /**
     * Replays the output strictly: a snapshot row or insert needs a free key, an update or delete
     * the row at exactly the version it names, and every update raises the version by one.
     */
    private static final class Replay {
        final Map<Integer, Integer> rows = new HashMap<>();
        long snapshotRows;
        long changes;

        void apply(String record) {
            String[] f = record.split("\\|", -1);
            switch (f[0]) {
                case "S":
                    snapshotRows++;
                    assertThat(rows.put(id(f[1]), version(f[2])))
                            .as("snapshot row %s emitted once", f[1])
                            .isNull();
                    break;
                case "I":
                    changes++;
                    assertThat(rows.put(id(f[1]), version(f[2])))
                            .as("insert of %s: the key is new", f[1])
                            .isNull();
                    break;
                case "U":
                    changes++;
                    Integer old = rows.remove(id(f[1]));
                    assertThat(old).as("update of %s: the old row exists", f[1]).isNotNull();
                    assertThat(old).as("update of %s: old version", f[1]).isEqualTo(version(f[2]));
                    assertThat(version(f[4]))
                            .as("update of %s: the next version", f[1])
                            .isEqualTo(old + 1);
                    assertThat(rows.put(id(f[3]), version(f[4])))
                            .as("update %s -> %s: the new key is free", f[1], f[3])
                            .isNull();
                    break;
                case "D":
                    changes++;
                    assertThat(rows.remove(id(f[1])))
                            .as("delete of %s at version %s", f[1], f[2])
                            .isEqualTo(version(f[2]));
                    break;
                default:
                    throw new AssertionError("Unexpected record " + record);
            }
        }

        void assertEquals(SourceTestDatabase db) throws SQLException {
            Map<Integer, Integer> actual = new HashMap<>();
            try (Connection c = db.pg().connect(db.name());
                    Statement s = c.createStatement();
                    ResultSet rs =
                            s.executeQuery("SELECT id, version FROM accounts WHERE id <> -1")) {
                while (rs.next()) {
                    actual.put(rs.getInt(1), rs.getInt(2));
                }
            }
            rows.remove(MARKER);
            assertThat(rows).as("the replayed output equals the table").isEqualTo(actual);
        }
    }

    private static int id(String text) {
        return Integer.parseInt(text);
    }

    private static int version(String text) {
        return Integer.parseInt(text);
    }

    /**
     * {@code S|id|version} for snapshot rows, {@code I|id|version}, {@code U|oldId|oldVersion|
     * newId|newVersion}, {@code D|id|version}; values in the binary form (snapshot and stream).
     */
    static final class VersionedRows implements ChangeEventDeserializer<String> {
        @Override
        public void deserialize(ChangeEvent event, Collector<String> out) {
            switch (event.kind()) {
                case SNAPSHOT:
                    out.collect("S|" + row(event.after()));
                    break;
                case INSERT:
                    out.collect("I|" + row(event.after()));
                    break;
                case UPDATE:
                    out.collect("U|" + row(event.before()) + "|" + row(event.after()));
                    break;
                case DELETE:
                    out.collect("D|" + row(event.before()));
                    break;
                default:
                    break;
            }
        }

        private static String row(TupleData tuple) {
            return int4(tuple, 0) + "|" + int4(tuple, 1);
        }

        private static int int4(TupleData tuple, int column) {
            byte[] bytes = tuple.valueBytes(column);
            if (tuple.kind(column) == io.pgwalstream.protocol.ColumnKind.TEXT) {
                return Integer.parseInt(new String(bytes, StandardCharsets.UTF_8));
            }
            return ByteBuffer.wrap(bytes).getInt();
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }

    /**
     * Random transactions against {@code accounts}: inserts of new keys, updates (a tenth of them
     * moving the key), deletes, a fifth rolled back. Stops a given number of transactions after
     * {@link #finishAfter}, then writes the marker row.
     */
    private static final class Writer {
        private final SourceTestDatabase db;
        private final Random random;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile int remaining = Integer.MAX_VALUE;
        private volatile long committed;
        private Thread thread;

        Writer(SourceTestDatabase db, long seed) {
            this.db = db;
            this.random = new Random(seed);
        }

        void start() {
            thread = new Thread(this::run, "snapshot-writer");
            thread.start();
        }

        void finishAfter(int transactions) {
            remaining = Math.min(remaining, transactions);
        }

        long committed() {
            return committed;
        }

        private void run() {
            List<Integer> live = new ArrayList<>();
            for (int i = 1; i <= ROWS; i++) {
                live.add(i);
            }
            int nextKey = ROWS + 1;
            try (Connection c = db.pg().connect(db.name());
                    Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                while (!stopped.get() && remaining-- > 0) {
                    boolean rollback = random.nextInt(5) == 0;
                    List<Integer> added = new ArrayList<>();
                    List<Integer> removed = new ArrayList<>();
                    int ops = 1 + random.nextInt(4);
                    for (int op = 0; op < ops; op++) {
                        int choice = random.nextInt(10);
                        if (choice < 3 || live.size() < 10) {
                            int key = nextKey++;
                            s.execute("INSERT INTO accounts VALUES (" + key + ", 0, 'new')");
                            added.add(key);
                        } else {
                            Integer key = live.get(random.nextInt(live.size()));
                            if (removed.contains(key)) {
                                continue;
                            }
                            if (choice < 8) {
                                s.execute(
                                        "UPDATE accounts SET version = version + 1 WHERE id = "
                                                + key);
                            } else if (choice < 9) {
                                int moved = nextKey++;
                                s.execute(
                                        "UPDATE accounts SET id = "
                                                + moved
                                                + ", version = version + 1 WHERE id = "
                                                + key);
                                removed.add(key);
                                added.add(moved);
                            } else {
                                s.execute("DELETE FROM accounts WHERE id = " + key);
                                removed.add(key);
                            }
                        }
                    }
                    if (rollback) {
                        c.rollback();
                    } else {
                        c.commit();
                        committed++;
                        live.removeAll(removed);
                        live.addAll(added);
                    }
                }
                c.setAutoCommit(true);
                s.execute("INSERT INTO accounts VALUES (" + MARKER + ", 0, 'marker')");
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            if (thread != null) {
                thread.join(60_000);
            }
        }

        void rethrow() {
            if (failure.get() != null) {
                throw new AssertionError("The writer failed", failure.get());
            }
        }
    }
}
