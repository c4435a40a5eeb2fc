package io.pgwalstream.flink.source;

import io.pgwalstream.protocol.StreamingMode;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.ReconnectPolicy;
import io.pgwalstream.testing.Await;
import io.pgwalstream.testing.FaultProxy;
import io.pgwalstream.testing.postgres.EveryPostgresVersion;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;
import io.pgwalstream.testing.postgres.PostgresVersion;
import io.pgwalstream.testing.postgres.WithPostgresVersion;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Production faults between the connector and PostgreSQL — a partition, a reset, a cut in the
 * middle of a message, a slow network, a crash of the server — while rows are streamed, while a
 * large transaction is streamed in progress and while the initial snapshot is read: the job
 * recovers by itself and a checkpoint-committing sink ends with every committed row exactly once,
 * in commit order.
 *
 * <p>The network faults come from a {@link FaultProxy} in front of the shared server; every
 * connection the source opens (replication, slot and snapshot SQL) goes through it. The crashes use
 * a server of their own. Streaming faults run with restart strategy {@code none}: the connector's
 * own reconnects must be all the recovery there is, a job failure fails the test. A snapshot chunk
 * whose read breaks fails the job by design (see {@link
 * #aResetWhileSnapshotChunksAreReadIsRecoveredAndEveryRowArrivesOnce}), so the snapshot tests allow
 * restarts from a checkpoint.
 */
@PostgresTest
@Timeout(300)
class FaultInjectionITCase {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjectionITCase.class);

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();
    private static final String SOURCE_NAME = "pg-walstream-faults";

    /** A silent connection is given up after this long (pinged after half of it). */
    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(2);

    /** Retries quickly, and long enough to outlast a restarting server. */
    private static final ReconnectPolicy FAST_RECONNECT =
            new ReconnectPolicy(
                    Duration.ofMillis(100),
                    Duration.ofMillis(500),
                    2.0,
                    0.2,
                    500,
                    Duration.ofMinutes(2));

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    /** A server of its own for the crash tests, started by the first of them. */
    private static PostgresServer crashable;

    @AfterAll
    static void stopCrashableServer() {
        if (crashable != null) {
            crashable.close();
        }
    }

    // ---- network faults while streaming -----------------------------------------------------

    @EveryPostgresVersion
    void aBlackHoleLongerThanTheReceiveTimeoutIsGivenUpAndTheStreamResumes(PostgresServer pg)
            throws Exception {
        SourceTestDatabase db = database(pg, "black_hole");
        try (FaultProxy proxy = new FaultProxy(pg.port());
                RunningJob job = RunningJob.start(db, proxy, b -> b, false)) {
            Rows.insert(db, 1, 500, 20);
            job.awaitPublished(500);

            int connections = proxy.acceptedConnections();
            proxy.blackHole();
            // Written while the network is partitioned: the server holds them.
            Rows.insert(db, 501, 1000, 20);
            // The connector notices the silence after the receive timeout and dials again (its
            // new connection is black-holed too, until the partition heals).
            Await.until(
                    "the connector to give up the silent connection and connect again",
                    PATIENCE,
                    () -> proxy.acceptedConnections() > connections);
            proxy.forward();

            job.assertExactlyOnce(Rows.inserted(1, 1000));
            job.assertReconnectedByItself();
        }
    }

    @EveryPostgresVersion
    void aResetWhileRowsStreamIsReconnectedWithoutLossOrDuplicates(PostgresServer pg)
            throws Exception {
        SourceTestDatabase db = database(pg, "reset");
        try (FaultProxy proxy = new FaultProxy(pg.port());
                RunningJob job = RunningJob.start(db, proxy, b -> b, false)) {
            Rows.insert(db, 1, 500, 20);
            job.awaitPublished(500);

            long received = proxy.bytesToClients();
            CompletableFuture<Void> writing = Rows.insertAsync(db, 501, 4000, 20);
            Await.until(
                    "rows to stream again",
                    PATIENCE,
                    () -> proxy.bytesToClients() > received + 50_000 || writing.isDone());
            assertThat(proxy.reset()).as("connections reset").isPositive();
            writing.get(1, TimeUnit.MINUTES);

            job.assertExactlyOnce(Rows.inserted(1, 4000));
            job.assertReconnectedByItself();
        }
    }

    @Test
    void aConnectionCutInTheMiddleOfAMessageIsReconnectedWithoutLossOrDuplicates(PostgresServer pg)
            throws Exception {
        SourceTestDatabase db = database(pg, "cut");
        try (FaultProxy proxy = new FaultProxy(pg.port());
                RunningJob job = RunningJob.start(db, proxy, b -> b, false)) {
            Rows.insert(db, 1, 500, 20);
            job.awaitPublished(500);

            // An odd offset into a stream of ~40-byte XLogData messages: a cut inside one.
            proxy.cutAfter(30_007);
            Rows.insert(db, 501, 3000, 20);
            Await.until("the cut", PATIENCE, () -> proxy.cuts() == 1);

            job.assertExactlyOnce(Rows.inserted(1, 3000));
            job.assertReconnectedByItself();
        }
    }

    @Test
    void aSlowNetworkBelowTheReceiveTimeoutNeedsNoReconnect(PostgresServer pg) throws Exception {
        SourceTestDatabase db = database(pg, "delay");
        try (FaultProxy proxy = new FaultProxy(pg.port());
                RunningJob job = RunningJob.start(db, proxy, b -> b, false)) {
            Rows.insert(db, 1, 200, 20);
            job.awaitPublished(200);

            proxy.delay(Duration.ofMillis(25));
            Rows.insert(db, 201, 2000, 20);
            job.assertExactlyOnce(Rows.inserted(1, 2000));

            assertThat(job.reconnects()).as("reconnects through a slow network").isZero();
            job.assertRunning();
        }
    }

    // ---- a reset inside a large streamed transaction ----------------------------------------

    @Test
    void aResetInsideAStreamedLargeTransactionDeliversItOnceAtItsCommit(
            PostgresServer pg, @TempDir Path spill) throws Exception {
        SourceTestDatabase db = database(pg, "streamed_reset");
        try (FaultProxy proxy = new FaultProxy(pg.port());
                RunningJob job =
                        RunningJob.start(
                                db,
                                proxy,
                                b ->
                                        b.streaming(StreamingMode.ON)
                                                .transactionBuffer(256 << 10, spill.toString()),
                                false)) {
            Rows.insert(db, 1, 100, 10);
            job.awaitPublished(100);

            try (Connection c = pg.connect(db.name());
                    Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                // Far above logical_decoding_work_mem (64kB): the server streams it in progress.
                s.execute(Rows.padded(1001, 3000));
                job.awaitStreamedTransactionBuffered();
                assertThat(proxy.reset()).as("connections reset").isPositive();
                s.execute(Rows.padded(3001, 4000));
                c.commit();
            }
            Rows.insert(db, 4001, 4100, 10);

            List<String> expected = new ArrayList<>(Rows.inserted(1, 100));
            expected.addAll(Rows.paddedInserted(1001, 4000));
            expected.addAll(Rows.inserted(4001, 4100));
            job.assertExactlyOnce(expected);
            job.assertReconnectedByItself();
        }
    }

    // ---- a reset during the initial snapshot ------------------------------------------------

    /**
     * The reset breaks the connection that holds the exported snapshot and, when it lands inside a
     * chunk's COPY, that read. The lost export is recovered in place (the chunks still to read are
     * handed out again under a new one); a chunk read that fails fails the reader (a snapshot read
     * is not retried in place), and the job restarts from its last checkpoint with a fixed-delay
     * restart strategy. Which of the two happens depends on where the reset lands; either way every
     * row arrives once.
     */
    @Test
    void aResetWhileSnapshotChunksAreReadIsRecoveredAndEveryRowArrivesOnce(PostgresServer pg)
            throws Exception {
        SourceTestDatabase db = database(pg, "snapshot_reset");
        int rows = 20_000;
        Rows.insert(db, 1, rows, rows);
        try (FaultProxy proxy = new FaultProxy(pg.port());
                RunningJob job =
                        RunningJob.start(
                                db,
                                proxy,
                                b -> b.startWithSnapshot().snapshotChunks(500, null),
                                true)) {
            // About a fifth of the rows' COPY data has come through (the reader's metrics
            // are not read here: they repeat after a restart).
            Await.until("chunks to be read", PATIENCE, () -> proxy.bytesToClients() > 100_000);
            assertThat(proxy.reset()).as("connections reset").isPositive();
            job.awaitPublished(rows);
            Rows.insert(db, rows + 1, rows + 500, 50);

            // Chunks may be read again in another order: the snapshot part is compared as a set
            // of rows, the stream after it in order.
            job.assertExactlyOnce(Rows.snapshotThenInserted(rows, 500), rows);
            LOG.info("The snapshot under a reset needed {} job restarts", job.restarts());
            job.assertRunning();
        }
    }

    /**
     * A cut always lands in the COPY of a chunk (it carries nearly all the bytes): the read fails,
     * which fails the reader, and the job restarts from its last checkpoint.
     */
    @Test
    void aCutInTheMiddleOfASnapshotChunkRestartsTheJobAndEveryRowArrivesOnce(PostgresServer pg)
            throws Exception {
        SourceTestDatabase db = database(pg, "snapshot_cut");
        int rows = 20_000;
        Rows.insert(db, 1, rows, rows);
        try (FaultProxy proxy = new FaultProxy(pg.port());
                RunningJob job =
                        RunningJob.start(
                                db,
                                proxy,
                                b -> b.startWithSnapshot().snapshotChunks(500, null),
                                true)) {
            Await.until("chunks to be read", PATIENCE, () -> proxy.bytesToClients() > 100_000);
            proxy.cutAfter(5_003);
            Await.until("the cut", PATIENCE, () -> proxy.cuts() == 1);
            job.awaitPublished(rows);
            Rows.insert(db, rows + 1, rows + 500, 50);

            job.assertExactlyOnce(Rows.snapshotThenInserted(rows, 500), rows);
            LOG.info("The snapshot under a cut needed {} job restarts", job.restarts());
            job.assertRunning();
        }
    }

    // ---- PostgreSQL crashes -----------------------------------------------------------------

    @Test
    void aServerCrashMidStreamIsReconnectedAfterTheRestartExactlyOnce() throws Exception {
        PostgresServer pg = crashableServer();
        SourceTestDatabase db = database(pg, "crash_stream");
        // Slow enough that the job still has rows to read when the server crashes.
        try (RunningJob job = RunningJob.start(db, null, b -> b, false, 500_000)) {
            Rows.insert(db, 1, 6000, 20);
            job.awaitPublished(500);

            pg.crash();
            pg.restartAfterCrash();
            Rows.insert(db, 6001, 6500, 20);

            job.assertExactlyOnce(Rows.inserted(1, 6500));
            job.assertReconnectedByItself();
        }
    }

    @Test
    void aServerCrashInsideAnOpenStreamedTransactionLosesOnlyThatTransaction(@TempDir Path spill)
            throws Exception {
        PostgresServer pg = crashableServer();
        SourceTestDatabase db = database(pg, "crash_transaction");
        try (RunningJob job =
                RunningJob.start(
                        db,
                        null,
                        b ->
                                b.streaming(StreamingMode.ON)
                                        .transactionBuffer(256 << 10, spill.toString()),
                        false)) {
            Rows.insert(db, 1, 500, 20);
            job.awaitPublished(500);

            Connection open = pg.connect(db.name());
            try (Statement s = open.createStatement()) {
                open.setAutoCommit(false);
                s.execute(Rows.padded(100_001, 102_000));
                job.awaitStreamedTransactionBuffered();
                pg.crash();
            } finally {
                closeBroken(open);
            }
            pg.restartAfterCrash();
            Rows.insert(db, 501, 1000, 20);

            job.assertExactlyOnce(Rows.inserted(1, 1000));
            job.assertReconnectedByItself();
        }
    }

    // ---- failover to a promoted standby ----------------------------------------------------

    /**
     * PostgreSQL 17's failover slots: the source makes its slot one, a standby with {@code
     * sync_replication_slots} keeps a copy, the primary dies and the standby is promoted. The job
     * connects to both ({@code targetServerType=primary}) and goes on from the copy on the new
     * primary by itself: every row once.
     */
    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {17, 18})
    void aFailoverToAPromotedStandbyGoesOnFromTheSynchronizedSlotExactlyOnce(int major)
            throws Exception {
        try (PostgresServer primary = PostgresServer.start(PostgresVersion.ofMajor(major));
                PostgresServer standby = PostgresServer.startFailoverStandbyOf(primary)) {
            SourceTestDatabase db = database(primary, "failover_" + major);
            PgConnectionConfig both = primaryThenStandby(primary, standby, db);
            try (RunningJob job =
                    RunningJob.start(
                            db, null, b -> b.connection(both).failoverSlots(true), false)) {
                Rows.insert(db, 1, 300, 20);
                job.awaitPublished(300);
                SourceTestDatabase onStandby = new SourceTestDatabase(standby, db.name());
                // The copy becomes sync-ready once the standby has decoded up to the primary's
                // position itself (tens of seconds: the slot sync worker naps between rounds).
                Await.until(
                        "the standby to hold a synchronized copy of " + db.slot(0),
                        PATIENCE,
                        () ->
                                "1"
                                        .equals(
                                                onStandby.queryString(
                                                        "SELECT count(*) FROM pg_replication_slots"
                                                                + " WHERE slot_name = '"
                                                                + db.slot(0)
                                                                + "' AND synced AND NOT"
                                                                + " temporary")));

                primary.crash();
                onStandby.sql("SELECT pg_promote()");
                Rows.insert(onStandby, 301, 600, 20);

                job.assertExactlyOnce(Rows.inserted(1, 600));
                job.assertReconnectedByItself();
            }
        }
    }

    /**
     * A promoted standby that kept no copy of the slot (no failover slot, no slot synchronisation):
     * the job fails once, saying what was missing and that the changes after its position are in no
     * slot there, instead of creating a slot and skipping them.
     */
    @Test
    void aPromotedStandbyWithoutACopyOfTheSlotFailsTheJobNamingWhatWasMissing() throws Exception {
        try (PostgresServer primary = PostgresServer.start(PostgresVersion.DEFAULT);
                PostgresServer standby = PostgresServer.startStandbyOf(primary)) {
            SourceTestDatabase db = database(primary, "failover_no_copy");
            PgConnectionConfig both = primaryThenStandby(primary, standby, db);
            try (RunningJob job = RunningJob.start(db, null, b -> b.connection(both), false)) {
                Rows.insert(db, 1, 100, 20);
                job.awaitPublished(100);

                primary.crash();
                new SourceTestDatabase(standby, db.name()).sql("SELECT pg_promote()");

                assertThat(job.awaitFailure())
                        .hasStackTraceContaining("has no copy of replication slot '" + db.slot(0))
                        .hasStackTraceContaining("sync_replication_slots = on")
                        .hasStackTraceContaining("start the job anew with an initial snapshot");
            }
        }
    }

    /** Failover slots need PostgreSQL 17: older servers refuse them with a typed error. */
    @Test
    @WithPostgresVersion(14)
    void failoverSlotsOnPostgres14FailNamingTheVersion(PostgresServer pg) throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "failover_14");
        try (RunningJob job =
                RunningJob.start(db, null, b -> b.createSlots(true).failoverSlots(true), false)) {
            assertThat(job.awaitFailure())
                    .hasStackTraceContaining("UnsupportedServerFeatureException")
                    .hasStackTraceContaining("17");
        }
    }

    /** Both servers, the primary first; the driver takes whichever is the primary now. */
    private static PgConnectionConfig primaryThenStandby(
            PostgresServer primary, PostgresServer standby, SourceTestDatabase db) {
        return PgConnectionConfig.of(
                        "127.0.0.1:" + primary.port() + ",127.0.0.1:" + standby.port(),
                        primary.port(),
                        db.name(),
                        PostgresServer.SUPERUSER)
                .withDriverProperties(Map.of("targetServerType", "primary"));
    }

    private static synchronized PostgresServer crashableServer() {
        if (crashable == null) {
            crashable = PostgresServer.start(PostgresVersion.DEFAULT);
        }
        return crashable;
    }

    private static void closeBroken(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("Closing a connection of the crashed server: {}", e.getMessage());
        }
    }

    private static SourceTestDatabase database(PostgresServer pg, String name) throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, name);
        db.createSlotAndReadPosition(0);
        return db;
    }

    /** Numbered rows {@code (i, 'v' || i)} and the events they make. */
    private static final class Rows {

        private static final int PAD = 300;

        /** Inserts rows {@code from..to}, {@code perTransaction} per committed transaction. */
        static void insert(SourceTestDatabase db, int from, int to, int perTransaction)
                throws SQLException {
            try (Connection c = db.pg().connect(db.name());
                    Statement s = c.createStatement()) {
                for (int first = from; first <= to; first += perTransaction) {
                    int last = Math.min(to, first + perTransaction - 1);
                    s.execute(
                            "INSERT INTO items SELECT g, 'v' || g FROM generate_series("
                                    + first
                                    + ", "
                                    + last
                                    + ") g");
                }
            }
        }

        static CompletableFuture<Void> insertAsync(
                SourceTestDatabase db, int from, int to, int perTransaction) {
            return CompletableFuture.runAsync(
                    () -> {
                        try {
                            insert(db, from, to, perTransaction);
                        } catch (SQLException e) {
                            throw new IllegalStateException("The writer failed", e);
                        }
                    });
        }

        static List<String> inserted(int from, int to) {
            return IntStream.rangeClosed(from, to)
                    .mapToObj(i -> "+I items " + i + " v" + i)
                    .toList();
        }

        /** The snapshot of rows {@code 1..rows}, then the inserts of the next {@code more}. */
        static List<String> snapshotThenInserted(int rows, int more) {
            List<String> expected = new ArrayList<>();
            IntStream.rangeClosed(1, rows).forEach(i -> expected.add("+S items " + i + " v" + i));
            expected.addAll(inserted(rows + 1, rows + more));
            return expected;
        }

        /** An INSERT of rows {@code from..to} with values of {@value #PAD}-odd bytes. */
        static String padded(int from, int to) {
            return "INSERT INTO items SELECT g, 'L' || g || repeat('x', "
                    + PAD
                    + ") FROM generate_series("
                    + from
                    + ", "
                    + to
                    + ") g";
        }

        static List<String> paddedInserted(int from, int to) {
            String pad = "x".repeat(PAD);
            return IntStream.rangeClosed(from, to)
                    .mapToObj(i -> "+I items " + i + " L" + i + pad)
                    .toList();
        }
    }

    /** A streaming job of one source into a {@link CheckpointCommittingCollector}. */
    private static final class RunningJob implements AutoCloseable {

        private final JobClient client;
        private final SourceMetrics metrics;

        private RunningJob(JobClient client, SourceMetrics metrics) {
            this.client = client;
            this.metrics = metrics;
        }

        static RunningJob start(
                SourceTestDatabase db,
                FaultProxy proxy,
                UnaryOperator<PgWalStreamSourceBuilder<String>> options,
                boolean restarts)
                throws Exception {
            return start(db, proxy, options, restarts, 0);
        }

        /**
         * @param proxy the proxy every connection of the source goes through, or null to connect
         *     directly
         * @param restarts whether the job may restart from a checkpoint (fixed delay) or must never
         *     fail (restart strategy none)
         */
        static RunningJob start(
                SourceTestDatabase db,
                FaultProxy proxy,
                UnaryOperator<PgWalStreamSourceBuilder<String>> options,
                boolean restarts,
                long pauseNanosPerRecord)
                throws Exception {
            CheckpointCommittingCollector.reset();
            PgConnectionConfig connection =
                    proxy == null
                            ? db.config()
                            : PgConnectionConfig.of(
                                    "127.0.0.1", proxy.port(), db.name(), PostgresServer.SUPERUSER);
            PgWalStreamSource<String> source =
                    options.apply(
                                    db.source(1)
                                            .connection(connection)
                                            .reconnectPolicy(FAST_RECONNECT)
                                            .receiveTimeout(RECEIVE_TIMEOUT)
                                            .statusInterval(Duration.ofMillis(500))
                                            // Only the connections under test: no WAL polling.
                                            .serverPollInterval(Duration.ZERO))
                            .build();

            Configuration conf = new Configuration();
            if (restarts) {
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
                conf.set(
                        RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                        Duration.ofMillis(200));
            } else {
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            }
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(1);
            env.enableCheckpointing(200);
            env.fromSource(source, WatermarkStrategy.noWatermarks(), SOURCE_NAME)
                    .flatMap(new CheckpointCommittingCollector(pauseNanosPerRecord))
                    .sinkTo(new DiscardingSink<>());
            JobClient client = env.executeAsync("faults-" + db.name());
            return new RunningJob(
                    client,
                    new SourceMetrics(REPORTER, client.getJobID(), SOURCE_NAME, db.slot(0)));
        }

        /** Waits until the sink published {@code count} records; fails at once if the job ended. */
        void awaitPublished(long count) throws Exception {
            Await.until(
                    count + " records to be published",
                    PATIENCE,
                    () -> {
                        assertNotEnded();
                        return CheckpointCommittingCollector.publishedCount() >= count;
                    });
        }

        /** The reader holds part of a transaction that has not committed yet. */
        void awaitStreamedTransactionBuffered() throws Exception {
            Await.until(
                    "a streamed transaction in progress to be buffered by the reader",
                    PATIENCE,
                    () -> {
                        assertNotEnded();
                        return metrics.valueOr("transactionBufferBytes", 0) > 0
                                || metrics.valueOr("spilledBytes", 0) > 0;
                    });
        }

        long reconnects() {
            return metrics.valueOr("reconnects", 0);
        }

        /** Job restarts so far (the job's {@code numRestarts}). */
        long restarts() {
            long restarts = 0;
            for (Tuple3<MetricGroup, String, Metric> m :
                    REPORTER.findJobMetricGroups(client.getJobID(), "numRestarts")) {
                if (m.f2 instanceof Gauge<?> g) {
                    restarts = Math.max(restarts, ((Number) g.getValue()).longValue());
                }
            }
            return restarts;
        }

        /** Waits until the job has ended and returns why it failed. */
        Throwable awaitFailure() throws Exception {
            Await.until(
                    "the job to fail",
                    PATIENCE,
                    () -> client.getJobStatus().get().isGloballyTerminalState());
            return catchThrowable(() -> client.getJobExecutionResult().get());
        }

        void assertRunning() throws Exception {
            assertThat(client.getJobStatus().get())
                    .as("the job's status")
                    .isEqualTo(JobStatus.RUNNING);
        }

        /** The connector reconnected, and the job neither failed nor restarted. */
        void assertReconnectedByItself() throws Exception {
            metrics.await("reconnects", n -> n >= 1);
            assertRunning();
            assertThat(restarts()).as("job restarts").isZero();
            LOG.info("Recovered by {} reconnects of the connector", reconnects());
        }

        void assertExactlyOnce(List<String> expected) throws Exception {
            assertExactlyOnce(expected, 0);
        }

        /**
         * Waits for {@code expected.size()} published records and two more checkpoints (anything
         * duplicated shows up after the last expected record), then compares: the first {@code
         * unordered} records as a multiset, the rest in order.
         */
        void assertExactlyOnce(List<String> expected, int unordered) throws Exception {
            awaitPublished(expected.size());
            int checkpoints = CheckpointCommittingCollector.PUBLISHED.size();
            Await.until(
                    "two more checkpoints to publish",
                    PATIENCE,
                    () -> {
                        assertNotEnded();
                        return CheckpointCommittingCollector.PUBLISHED.size() >= checkpoints + 2;
                    });
            List<String> published = CheckpointCommittingCollector.published();
            assertThat(differences(expected, published))
                    .as("%d expected, %d published", expected.size(), published.size())
                    .isEmpty();
            if (published.size() == expected.size()) {
                List<String> expectedOrdered = expected.subList(unordered, expected.size());
                assertThat(published.subList(unordered, published.size()))
                        .as("the stream in commit order")
                        .isEqualTo(expectedOrdered);
            }
        }

        /** Records missing or published more often than expected (at most 10 of each). */
        private static List<String> differences(
                Collection<String> expected, Collection<String> published) {
            Map<String, Integer> counts = new TreeMap<>();
            expected.forEach(r -> counts.merge(r, 1, Integer::sum));
            published.forEach(r -> counts.merge(r, -1, Integer::sum));
            List<String> missing = new ArrayList<>();
            List<String> extra = new ArrayList<>();
            counts.forEach(
                    (record, n) -> {
                        if (n > 0) {
                            missing.add(record + (n > 1 ? " (x" + n + ")" : ""));
                        } else if (n < 0) {
                            extra.add(record + " (" + -n + " too many)");
                        }
                    });
            List<String> result = new ArrayList<>();
            if (!missing.isEmpty()) {
                result.add(
                        missing.size()
                                + " missing, e.g. "
                                + missing.subList(0, Math.min(10, missing.size())));
            }
            if (!extra.isEmpty()) {
                result.add(
                        extra.size()
                                + " duplicated or unexpected, e.g. "
                                + extra.subList(0, Math.min(10, extra.size())));
            }
            return result;
        }

        private void assertNotEnded() throws Exception {
            JobStatus status = client.getJobStatus().get();
            if (status.isGloballyTerminalState()) {
                Throwable failure = null;
                try {
                    client.getJobExecutionResult().get();
                } catch (Exception e) {
                    failure = e;
                }
                throw new AssertionError("The job ended: " + status, failure);
            }
        }

        @Override
        public void close() throws Exception {
            if (!client.getJobStatus().get().isGloballyTerminalState()) {
                client.cancel().get(1, TimeUnit.MINUTES);
            }
            // Cancelling is acknowledged before the source has closed its connections.
            Await.until(
                    "the job to end",
                    PATIENCE,
                    () -> client.getJobStatus().get().isGloballyTerminalState());
        }
    }
}
