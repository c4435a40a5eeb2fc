package io.pgwalstream.flink.source;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.StreamingMode;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source's metrics, read through Flink's metric system (an in-memory reporter) while a job
 * streams: each one must move the way its documentation says.
 */
@PostgresTest
@Timeout(300)
class PgWalStreamSourceMetricsITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();
    private static final String SOURCE_NAME = "pg-walstream-metrics";

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void metricsFollowReadingConfirmingSpillingAndReconnecting(
            PostgresServer pg, @TempDir Path spill) throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "metrics");
        Lsn initial = db.createSlotAndReadPosition(0);
        int rows = 500;
        db.sql("INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, " + rows + ") g");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(200);
        PgWalStreamSource<String> source =
                db.source(1)
                        // Streamed in-progress transactions are buffered; 8 KiB forces a spill.
                        .streaming(StreamingMode.ON)
                        .transactionBuffer(8 << 10, spill.toString())
                        .serverPollInterval(Duration.ofMillis(200))
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), SOURCE_NAME)
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("metrics");
        try {
            SourceMetrics m = new SourceMetrics(REPORTER, job.getJobID(), SOURCE_NAME, db.slot(0));

            m.await("numRecordsIn", n -> n >= rows);
            m.await("currentFetchEventTimeLag", lag -> lag >= 0);
            m.await("currentEmitEventTimeLag", lag -> lag >= 0);
            m.await("receivedLsn", lsn -> lsn > initial.value());
            m.await("confirmedLsn", lsn -> lsn > initial.value());
            m.await("slotRetainedWalBytes", bytes -> bytes >= 0);
            m.await("pendingBytes", bytes -> bytes >= 0);
            // Nothing new arrives: the reader reports idle time.
            m.await("sourceIdleTime", idle -> idle > 0);

            // A transaction larger than logical_decoding_work_mem (64kB) streams in segments.
            db.sql(
                    "INSERT INTO items SELECT g, repeat('x', 200) FROM generate_series("
                            + (rows + 1)
                            + ", "
                            + (rows + 2000)
                            + ") g");
            m.await("spilledBytes", bytes -> bytes > 0);
            m.await("numRecordsIn", n -> n >= rows + 2000);

            long confirmedBefore = m.value("confirmedLsn");
            int walsender = db.activePid(0);
            db.sql("SELECT pg_terminate_backend(" + walsender + ")");
            m.await("reconnects", n -> n >= 1);
            db.sql("INSERT INTO items VALUES (999999, 'after reconnect')");
            m.await("numRecordsIn", n -> n >= rows + 2001);
            m.await("confirmedLsn", lsn -> lsn > confirmedBefore);
            m.await("serverWalLsn", lsn -> lsn >= m.value("receivedLsn"));
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void pendingBytesGrowWhileTheJobIsBackPressuredAndShrinkAfter(PostgresServer pg)
            throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "backlog");
        db.createSlotAndReadPosition(0);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        PgWalStreamSource<String> source =
                db.source(1)
                        // A small receive buffer: the blocked job stops the replication reads soon.
                        .receiveBuffer(16, 16 << 10)
                        .serverPollInterval(Duration.ofMillis(200))
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), SOURCE_NAME)
                .map(new Gate())
                .sinkTo(new DiscardingSink<>());
        Gate.close();
        JobClient job = env.executeAsync("backlog");
        try {
            SourceMetrics m = new SourceMetrics(REPORTER, job.getJobID(), SOURCE_NAME, db.slot(0));
            db.sql("INSERT INTO items VALUES (0, 'first')");
            m.await("numRecordsIn", n -> n >= 1);
            int rows = 20_000;
            db.sql(
                    "INSERT INTO items SELECT g, repeat('x', 200) FROM generate_series(1, "
                            + rows
                            + ") g");
            m.await("pendingBytes", bytes -> bytes > 1_000_000);
            long peak = m.value("pendingBytes");

            Gate.open();
            m.await("numRecordsIn", n -> n >= rows + 1);
            m.await("pendingBytes", bytes -> bytes < peak);
        } finally {
            Gate.open();
            job.cancel().get();
        }
    }

    @Test
    void snapshotProgressIsShownPerTableAndInTotal(PostgresServer pg) throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "snapmetrics");
        db.sql(
                "CREATE TABLE extra (id int PRIMARY KEY, v text)",
                "ALTER PUBLICATION pub_items ADD TABLE extra",
                "INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 3000) g",
                "INSERT INTO extra SELECT g, 'e' || g FROM generate_series(1, 1200) g",
                "ANALYZE items",
                "ANALYZE extra");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        PgWalStreamSource<String> source =
                PgWalStreamSource.<String>builder()
                        .connection(db.config())
                        .slotGroup(
                                db.slot(0),
                                "pub_items",
                                List.of(
                                        TableName.of("public", "items"),
                                        TableName.of("public", "extra")))
                        .createSlots(true)
                        .startWithSnapshot()
                        .snapshotChunks(500, null)
                        .deserializer(new RowTextDeserializer())
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), SOURCE_NAME)
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("snapshot metrics");
        try {
            SourceMetrics m = new SourceMetrics(REPORTER, job.getJobID(), SOURCE_NAME, db.slot(0));
            m.await("snapshot.table.public.items.rows", n -> n == 3000);
            m.await("snapshot.table.public.extra.rows", n -> n == 1200);
            m.await("snapshot.table.public.extra.chunksRemaining", n -> n == 0);
            assertThat(m.value("snapshot.table.public.items.chunksTotal"))
                    .isEqualTo(m.value("snapshot.table.public.items.chunksEmitted"))
                    .isGreaterThan(1);
            m.await("snapshot.rows", n -> n == 4200);
            m.await("snapshot.chunksRemaining", n -> n == 0);
            // Once the stream runs, the exported snapshot is gone and holds back nothing.
            m.await("snapshot.ageSeconds", age -> age == 0);
        } finally {
            job.cancel().get();
        }
    }

    /** For hundreds of tables: the per-table gauges switched off, the totals stay. */
    @Test
    void perTableSnapshotGaugesCanBeSwitchedOff(PostgresServer pg) throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "snapmetrics_off");
        db.sql("INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 1000) g");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        PgWalStreamSource<String> source =
                db.source(1)
                        .createSlots(true)
                        .startWithSnapshot()
                        .snapshotChunks(200, null)
                        .snapshotTableMetrics(false)
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), SOURCE_NAME)
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("snapshot metrics off");
        try {
            SourceMetrics m = new SourceMetrics(REPORTER, job.getJobID(), SOURCE_NAME, db.slot(0));
            m.await("snapshot.rows", n -> n == 1000);
            m.await("snapshot.chunksRemaining", n -> n == 0);
            assertThat(m.valueOr("snapshot.table.public.items.rows", -42))
                    .as("no per-table gauge")
                    .isEqualTo(-42);
        } finally {
            job.cancel().get();
        }
    }

    /** Holds every record while closed: back-pressure on demand. */
    static final class Gate implements MapFunction<String, String> {
        private static volatile CountDownLatch opened = new CountDownLatch(0);

        static void close() {
            opened = new CountDownLatch(1);
        }

        static void open() {
            opened.countDown();
        }

        @Override
        public String map(String value) throws InterruptedException {
            if (!opened.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("The test never opened the gate");
            }
            return value;
        }
    }
}
