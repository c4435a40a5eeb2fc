package io.pgwalstream.flink.source;

import io.pgwalstream.replication.ReconnectPolicy;
import io.pgwalstream.replication.SlotInvalidatedException;
import io.pgwalstream.testing.Await;
import io.pgwalstream.testing.postgres.EveryPostgresVersion;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;
import io.pgwalstream.testing.postgres.PostgresVersion;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A slot the server invalidates ({@code max_slot_wal_keep_size} exceeded): the job fails once, with
 * an error that names the cause and the way out, instead of reconnecting in vain; before it happens
 * {@code slotSafeWalBytes} shows the WAL left. Each version gets a server of its own, as the limit
 * applies to every slot of a server.
 */
@PostgresTest
@Timeout(300)
class SlotInvalidationITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();
    private static final String SOURCE_NAME = "pg-walstream-invalidation";

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    private static final Map<PostgresVersion, PostgresServer> LIMITED =
            new EnumMap<>(PostgresVersion.class);

    @AfterAll
    static void stopServers() {
        LIMITED.values().forEach(PostgresServer::close);
        LIMITED.clear();
    }

    @EveryPostgresVersion
    void aJobOnAnInvalidatedSlotFailsNamingTheCauseAndTheWayOut(PostgresServer shared)
            throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(limited(shared), "invalidated");
        db.createSlotAndReadPosition(0);
        invalidate(db);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.configure(new Configuration().set(RestartStrategyOptions.RESTART_STRATEGY, "none"));
        env.fromSource(db.source(1).build(), WatermarkStrategy.noWatermarks(), SOURCE_NAME)
                .sinkTo(new DiscardingSink<>());

        Throwable failure = catchThrowable(() -> env.execute("invalidated"));

        assertNamesCauseAndWayOut(failure, db.slot(0));
    }

    /**
     * The server ends the walsender of a running job whose slot it invalidates; the reconnect finds
     * the slot invalidated and fails the job at once, with the same error.
     */
    @Test
    void aRunningJobWhoseSlotIsInvalidatedFailsOnceWithTheSameError() throws Exception {
        PostgresServer pg = limited(PostgresVersion.DEFAULT);
        SourceTestDatabase db = SourceTestDatabase.create(pg, "invalidated_running");
        db.createSlotAndReadPosition(0);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.configure(new Configuration().set(RestartStrategyOptions.RESTART_STRATEGY, "none"));
        // No checkpoints: nothing is confirmed, so the slot keeps its WAL and falls behind.
        PgWalStreamSource<String> source =
                db.source(1)
                        .serverPollInterval(Duration.ofMillis(200))
                        .reconnectPolicy(
                                new ReconnectPolicy(
                                        Duration.ofMillis(100),
                                        Duration.ofMillis(500),
                                        2.0,
                                        0.2,
                                        50,
                                        Duration.ofMinutes(1)))
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), SOURCE_NAME)
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("invalidated-running");
        try {
            SourceMetrics m = new SourceMetrics(REPORTER, job.getJobID(), SOURCE_NAME, db.slot(0));
            db.sql("INSERT INTO items VALUES (1, 'before')");
            m.await("numRecordsIn", n -> n >= 1);
            // Under a 1 MB limit the server counts in whole 16 MB segments: at most one is left.
            m.await("slotSafeWalBytes", bytes -> bytes >= 0 && bytes <= 16 << 20);

            invalidate(db);

            Throwable failure =
                    catchThrowable(() -> job.getJobExecutionResult().get(2, TimeUnit.MINUTES));
            assertNamesCauseAndWayOut(failure, db.slot(0));
            assertThat(m.value("reconnects")).as("no reconnect loop").isLessThanOrEqualTo(1);
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        }
    }

    /** PostgreSQL 18 also gives up slots left without a consumer for too long. */
    @Test
    void aSlotIdleLongerThanTheServersTimeoutIsNamedAsSuch() throws Exception {
        PostgresServer pg = limited(PostgresVersion.V18);
        SourceTestDatabase db = SourceTestDatabase.create(pg, "invalidated_idle");
        db.createSlotAndReadPosition(0);
        pg.execute(
                "ALTER SYSTEM SET idle_replication_slot_timeout = '1s'", "SELECT pg_reload_conf()");
        try {
            Await.until(
                    "slot " + db.slot(0) + " invalidated as idle",
                    Duration.ofSeconds(60),
                    () -> {
                        db.sql("CHECKPOINT");
                        return "idle_timeout"
                                .equals(
                                        db.queryString(
                                                "SELECT coalesce(invalidation_reason, 'none')"
                                                        + " FROM pg_replication_slots WHERE"
                                                        + " slot_name = '"
                                                        + db.slot(0)
                                                        + "'"));
                    });
        } finally {
            pg.execute(
                    "ALTER SYSTEM RESET idle_replication_slot_timeout", "SELECT pg_reload_conf()");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.configure(new Configuration().set(RestartStrategyOptions.RESTART_STRATEGY, "none"));
        env.fromSource(db.source(1).build(), WatermarkStrategy.noWatermarks(), SOURCE_NAME)
                .sinkTo(new DiscardingSink<>());

        Throwable failure = catchThrowable(() -> env.execute("invalidated-idle"));

        assertThat(Failures.messages(failure))
                .contains("inactive for longer than idle_replication_slot_timeout")
                .contains("pg_drop_replication_slot('" + db.slot(0) + "')");
    }

    private static void assertNamesCauseAndWayOut(Throwable failure, String slot) {
        assertThat(failure).hasStackTraceContaining(SlotInvalidatedException.class.getName());
        String messages = Failures.messages(failure);
        assertThat(messages)
                .contains("Replication slot '" + slot + "' was invalidated by the server")
                .contains("max_slot_wal_keep_size")
                .contains("pg_drop_replication_slot('" + slot + "')")
                .contains("'scan.startup.mode' = 'initial'")
                .contains("slotSafeWalBytes");
    }

    /** Moves the WAL three segments on and checkpoints: the 1 MB limit lets the slot go. */
    private static void invalidate(SourceTestDatabase db) throws Exception {
        for (int i = 0; i < 3; i++) {
            db.sql(
                    "INSERT INTO items SELECT g, repeat('w', 100) FROM generate_series("
                            + (1000 + i * 1000)
                            + ", "
                            + (1999 + i * 1000)
                            + ") g",
                    "SELECT pg_switch_wal()");
        }
        db.sql("CHECKPOINT");
        Await.until(
                "slot " + db.slot(0) + " lost",
                Duration.ofSeconds(60),
                () -> {
                    String status =
                            db.queryString(
                                    "SELECT coalesce(wal_status, 'none') FROM pg_replication_slots"
                                            + " WHERE slot_name = '"
                                            + db.slot(0)
                                            + "'");
                    if (!"lost".equals(status)) {
                        db.sql("CHECKPOINT");
                    }
                    return "lost".equals(status);
                });
    }

    private static PostgresServer limited(PostgresServer shared) {
        return limited(shared.version());
    }

    private static synchronized PostgresServer limited(PostgresVersion version) {
        return LIMITED.computeIfAbsent(
                version,
                v -> {
                    PostgresServer server = PostgresServer.start(v);
                    server.execute(
                            "ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'",
                            "SELECT pg_reload_conf()");
                    return server;
                });
    }
}
