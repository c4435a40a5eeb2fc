package io.pgwalstream.flink.source;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.testing.postgres.EveryPostgresVersion;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The DataStream source on a MiniCluster against a real PostgreSQL 17; exactly-once through a
 * failure on every supported version.
 */
@PostgresTest
@Timeout(300)
class PgWalStreamSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @Test
    void boundedModeReadsEveryCommittedChangeInOrderAndFinishes(PostgresServer pg)
            throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "bounded");
        db.sql("SELECT pg_create_logical_replication_slot('" + db.slot(0) + "', 'pgoutput')");
        db.sql(
                "INSERT INTO items VALUES (1, 'a'), (2, 'b')",
                "UPDATE items SET v = 'bb' WHERE id = 2",
                "DELETE FROM items WHERE id = 1",
                "BEGIN",
                "INSERT INTO items VALUES (3, 'c')",
                "INSERT INTO items VALUES (4, 'd')",
                "COMMIT");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<String> out = collectAll(env, db.source(1).stopAtCurrentLsn().build());

        assertThat(out)
                .containsExactly(
                        "+I items 1 a",
                        "+I items 2 b",
                        "+U items 2 bb",
                        "-D items 1",
                        "+I items 3 c",
                        "+I items 4 d");
    }

    /** The publication holds a second table the group does not list: its changes stay out. */
    @Test
    void aGroupDeliversOnlyTheTablesItListsOfItsPublication(PostgresServer pg) throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "listed");
        db.sql(
                "CREATE TABLE others (id int PRIMARY KEY, v text)",
                "ALTER PUBLICATION pub_items ADD TABLE others",
                "SELECT pg_create_logical_replication_slot('" + db.slot(0) + "', 'pgoutput')",
                "INSERT INTO others VALUES (1, 'x')",
                "INSERT INTO items VALUES (1, 'a')",
                "TRUNCATE others, items",
                "BEGIN",
                "INSERT INTO others VALUES (2, 'y')",
                "INSERT INTO items VALUES (2, 'b')",
                "COMMIT",
                "TRUNCATE others");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<String> out = collectAll(env, db.source(1).stopAtCurrentLsn().build());

        assertThat(out).containsExactly("+I items 1 a", "TRUNCATE ", "+I items 2 b");
    }

    @EveryPostgresVersion
    void exactlyOnceThroughAFailureAndTheSlotAdvancesOnlyOnCheckpoints(PostgresServer pg)
            throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "failover");
        Lsn initial = db.createSlotAndReadPosition(0);
        int rows = 3000;
        db.sql("INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, " + rows + ") g");

        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(100);
        FailOnce.reset(rows / 2);

        List<String> out = new ArrayList<>();
        try (CloseableIterator<String> it =
                env.fromSource(
                                db.source(1).build(),
                                WatermarkStrategy.noWatermarks(),
                                "pg-walstream")
                        .map(new FailOnce())
                        .executeAndCollect("exactly-once")) {
            while (out.size() < rows && it.hasNext()) {
                out.add(it.next());
            }
            assertThat(FailOnce.FAILED.get()).as("the job failed once").isTrue();
            assertThat(out).hasSize(rows).doesNotHaveDuplicates();
            for (int i = 0; i < rows; i++) {
                assertThat(out.get(i)).isEqualTo("+I items " + (i + 1) + " v" + (i + 1));
            }
            // Completed checkpoints confirm: the slot moves past the initial position.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (db.confirmedFlush(0).compareTo(initial) <= 0) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                it.hasNext(); // keeps the job and its checkpoints going
            }
        }
    }

    @Test
    void twoSlotGroupsAreReadInParallel(PostgresServer pg) throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "parallel");
        // A publication must exist before the changes it carries are written: PostgreSQL reads
        // publications as of each change.
        db.sql(
                "CREATE TABLE other (id int PRIMARY KEY, v text)",
                "CREATE PUBLICATION pub_other FOR TABLE other",
                "SELECT pg_create_logical_replication_slot('" + db.slot(0) + "', 'pgoutput')",
                "SELECT pg_create_logical_replication_slot('" + db.slot(1) + "', 'pgoutput')",
                "INSERT INTO items VALUES (1, 'x')",
                "INSERT INTO other VALUES (2, 'y')");
        PgWalStreamSource<String> source =
                PgWalStreamSource.<String>builder()
                        .connection(db.config())
                        .slotGroup(
                                db.slot(0), "pub_items", List.of(TableName.of("public", "items")))
                        .slotGroup(
                                db.slot(1), "pub_other", List.of(TableName.of("public", "other")))
                        .stopAtCurrentLsn()
                        .deserializer(new RowTextDeserializer())
                        .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);

        assertThat(collectAll(env, source))
                .containsExactlyInAnyOrder("+I items 1 x", "+I other 2 y");
    }

    /**
     * The DataStream API has no planning phase: a role without REPLICATION fails the job when the
     * enumerator starts, with the same ALTER ROLE the SQL factory prints, and no slot is created.
     */
    @Test
    void aRoleWithoutReplicationFailsTheJobAtStartWithTheAlterRole(PostgresServer pg)
            throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "norepl");
        String role = "walstream_norepl_ds";
        String password = "Ds-No-Replication-29";
        pg.execute(
                "DO $$ BEGIN CREATE ROLE "
                        + role
                        + " LOGIN NOREPLICATION PASSWORD '"
                        + password
                        + "'; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.configure(new Configuration().set(RestartStrategyOptions.RESTART_STRATEGY, "none"));
        PgWalStreamSource<String> source =
                db.source(1)
                        .connection(
                                PgConnectionConfig.of(pg.host(), pg.port(), db.name(), role)
                                        .withPassword(password))
                        .build();

        Throwable failure = catchThrowable(() -> collectAll(env, source));

        assertThat(Failures.messages(failure))
                .contains("ALTER ROLE \"" + role + "\" REPLICATION")
                .doesNotContain(password);
        assertThat(
                        db.queryString(
                                "SELECT count(*) FROM pg_replication_slots WHERE database ="
                                        + " current_database()"))
                .isEqualTo("0");
    }

    @Test
    void anIdlePublishedTableStillLetsTheSlotAdvance(PostgresServer pg) throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "idle");
        db.sql("CREATE TABLE busy (id serial PRIMARY KEY, v text)");
        Lsn initial = db.createSlotAndReadPosition(0);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(300);
        env.fromSource(db.source(1).build(), WatermarkStrategy.noWatermarks(), "pg-walstream")
                .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
        org.apache.flink.core.execution.JobClient job = env.executeAsync("idle-wal");
        try {
            // Only the unpublished table changes; the slot must follow the WAL anyway.
            List<Lsn> seen = new ArrayList<>();
            seen.add(initial);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.size() < 4) {
                assertThat(System.nanoTime()).as("slot advances: %s", seen).isLessThan(deadline);
                db.sql("INSERT INTO busy (v) SELECT 'x' FROM generate_series(1, 100)");
                Lsn now = db.confirmedFlush(0);
                if (now.compareTo(seen.get(seen.size() - 1)) > 0) {
                    seen.add(now);
                }
            }
        } finally {
            job.cancel().get();
        }
    }

    private static List<String> collectAll(
            StreamExecutionEnvironment env, PgWalStreamSource<String> source) throws Exception {
        List<String> out = new ArrayList<>();
        try (CloseableIterator<String> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "pg-walstream")
                        .executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /**
     * Throws once, on the first attempt, after a given number of records and once a checkpoint
     * taken after them completed, so the restart resumes from reader state with progress. Until
     * then it slows down instead of blocking: the task thread must stay free for barriers.
     */
    static final class FailOnce
            implements MapFunction<String, String>, CheckpointedFunction, CheckpointListener {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static volatile CountDownLatch checkpointed = new CountDownLatch(1);
        static final AtomicLong SEEN = new AtomicLong();
        static final AtomicLong FIRST_CHECKPOINT_AFTER = new AtomicLong(Long.MAX_VALUE);
        static volatile long failAfter;

        static void reset(long after) {
            FAILED.set(false);
            checkpointed = new CountDownLatch(1);
            SEEN.set(0);
            FIRST_CHECKPOINT_AFTER.set(Long.MAX_VALUE);
            failAfter = after;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            if (SEEN.get() >= failAfter) {
                FIRST_CHECKPOINT_AFTER.accumulateAndGet(context.getCheckpointId(), Math::min);
            }
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {}

        @Override
        public String map(String value) throws InterruptedException {
            if (SEEN.incrementAndGet() >= failAfter && !FAILED.get()) {
                // At most 2 ms per record while waiting for the checkpoint: a throttle, not a
                // block.
                if (!checkpointed.await(2, TimeUnit.MILLISECONDS)) {
                    return value;
                }
                if (FAILED.compareAndSet(false, true)) {
                    throw new IllegalStateException(
                            "injected failure after " + SEEN.get() + " records");
                }
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (checkpointId >= FIRST_CHECKPOINT_AFTER.get()) {
                checkpointed.countDown();
            }
        }
    }
}
