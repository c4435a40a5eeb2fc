package io.pgwalstream.flink.source;

import io.pgwalstream.protocol.StreamingMode;
import io.pgwalstream.testing.Await;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once at scale: a writer commits random transactions (small, rolled back, with aborted
 * subtransactions, two-phase, and large enough to stream) while the job's only TaskManager is
 * terminated and replaced several times at random moments ({@link MiniCluster#terminateTaskManager}
 * and {@link MiniCluster#startTaskManager}). A checkpoint-committing sink must end up with exactly
 * the table's change history: per key, the same events in the same order — nothing lost, nothing
 * twice.
 *
 * <p>Size: {@code -Dpgwalstream.it.exactly-once.transactions=N} (default 10,000 for CI; the issue's
 * full run is 100,000) and {@code -Dpgwalstream.it.exactly-once.kills=K} (default 5). The seed is
 * logged and can be fixed with {@code -Dpgwalstream.it.exactly-once.seed=S} to replay a failure's
 * transactions (kill moments stay random).
 */
@PostgresTest
@Timeout(1800)
class ExactlyOnceUnderTaskManagerLossITCase {

    private static final Logger LOG =
            LoggerFactory.getLogger(ExactlyOnceUnderTaskManagerLossITCase.class);

    private static final int TRANSACTIONS =
            Integer.getInteger("pgwalstream.it.exactly-once.transactions", 10_000);
    private static final int KILLS = Integer.getInteger("pgwalstream.it.exactly-once.kills", 5);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void theSinkEqualsTheChangeHistoryThroughTaskManagerLosses(
            PostgresServer pg, @InjectMiniCluster MiniCluster cluster, @TempDir Path spill)
            throws Exception {
        long seed = Long.getLong("pgwalstream.it.exactly-once.seed", System.nanoTime());
        LOG.info(
                "Exactly-once at scale: {} transactions, {} TaskManager losses, seed {}",
                TRANSACTIONS,
                KILLS,
                seed);
        SourceTestDatabase db = SourceTestDatabase.create(pg, "scale");
        db.sql(
                "SELECT pg_create_logical_replication_slot('"
                        + db.slot(0)
                        + "', 'pgoutput', false, true)");
        CheckpointCommittingCollector.reset();

        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(300);
        PgWalStreamSource<String> source =
                db.source(1)
                        .streaming(StreamingMode.ON)
                        .twoPhase(true)
                        // Small enough that large transactions spill.
                        .transactionBuffer(256 << 10, spill.toString())
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "pg-walstream")
                // Slower than the writer: the source runs behind, so checkpoints and losses hit
                // transactions half emitted (and the restored reader must skip their first part).
                .flatMap(new CheckpointCommittingCollector(300_000))
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("exactly-once-at-scale");

        Random random = new Random(seed);
        KillPoints points = KillPoints.random(random, TRANSACTIONS, KILLS);
        RandomTransactionWriter writer = new RandomTransactionWriter(seed);
        CompletableFuture<Void> writing =
                CompletableFuture.runAsync(
                        () -> {
                            try (Connection c = pg.connect(db.name())) {
                                writer.run(c, TRANSACTIONS, points::holdWriter);
                            } catch (Exception e) {
                                throw new IllegalStateException("The writer failed", e);
                            }
                        });
        try {
            List<Long> killedAt = killTaskManagers(cluster, writer, writing, points, random);
            writing.get(20, TimeUnit.MINUTES);
            LOG.info(
                    "Writer done: {} committed change events; TaskManagers lost after {}"
                            + " transactions",
                    writer.events(),
                    killedAt);

            Await.until(
                    "all " + writer.events() + " events to be published",
                    Duration.ofMinutes(10),
                    () -> CheckpointCommittingCollector.publishedCount() >= writer.events());
            // Anything duplicated would show up after the last expected event: let two more
            // checkpoints publish before comparing.
            int checkpoints = CheckpointCommittingCollector.PUBLISHED.size();
            Await.until(
                    "two more checkpoints to publish",
                    Duration.ofMinutes(2),
                    () -> CheckpointCommittingCollector.PUBLISHED.size() >= checkpoints + 2);
            compare(writer.history(), CheckpointCommittingCollector.published());
            assertThat(killedAt).hasSizeGreaterThanOrEqualTo(KILLS);
        } finally {
            points.releaseAll();
            job.cancel().get();
        }
    }

    /**
     * Replaces the TaskManager {@link #KILLS} times, each while the writer writes: the writer waits
     * at a random transaction until the job has recovered from the previous loss and completed a
     * checkpoint (so each loss interrupts real progress), then writes on, and the TaskManager is
     * lost at a random moment shortly after.
     *
     * @return the writer's transaction count at each loss
     */
    private static List<Long> killTaskManagers(
            MiniCluster cluster,
            RandomTransactionWriter writer,
            CompletableFuture<Void> writing,
            KillPoints points,
            Random random)
            throws Exception {
        List<Long> killedAt = new ArrayList<>();
        int taskManager = 0;
        for (int i = 0; i < KILLS; i++) {
            long published = CheckpointCommittingCollector.PUBLISHED.size();
            int loss = i;
            Await.until(
                    "a checkpoint to complete after TaskManager loss " + i,
                    Duration.ofMinutes(2),
                    () -> {
                        if (writing.isCompletedExceptionally()) {
                            writing.join(); // the writer's failure, not a timeout
                        }
                        return CheckpointCommittingCollector.PUBLISHED.size() > published
                                && writer.transactions() >= points.at(loss);
                    });
            points.releaseWriter(i);
            // A random kill point: some transactions after the writer was released, but before
            // the next point, where the writer waits again.
            long nextHold = i + 1 < KILLS ? points.at(i + 1) - 1 : TRANSACTIONS;
            long killAfter = Math.min(writer.transactions() + random.nextInt(50), nextHold);
            Await.until(
                    "the writer to reach transaction " + killAfter,
                    Duration.ofMinutes(2),
                    () -> writer.transactions() >= killAfter);
            killedAt.add(writer.transactions());
            cluster.terminateTaskManager(taskManager).get();
            cluster.startTaskManager();
            taskManager++;
        }
        return killedAt;
    }

    /** Transactions at which the writer waits for the next TaskManager loss to be due. */
    private record KillPoints(long[] transactions, CountDownLatch[] released) {

        static KillPoints random(Random random, int transactions, int kills) {
            long[] at = new long[kills];
            CountDownLatch[] latches = new CountDownLatch[kills];
            for (int i = 0; i < kills; i++) {
                at[i] = transactions / 10 + random.nextInt(Math.max(1, transactions * 8 / 10));
                latches[i] = new CountDownLatch(1);
            }
            Arrays.sort(at);
            return new KillPoints(at, latches);
        }

        long at(int kill) {
            return transactions[kill];
        }

        void holdWriter(int transaction) throws InterruptedException {
            for (int i = 0; i < transactions.length; i++) {
                if (transactions[i] == transaction) {
                    released[i].await();
                }
            }
        }

        void releaseWriter(int kill) {
            released[kill].countDown();
        }

        void releaseAll() {
            Arrays.stream(released).forEach(CountDownLatch::countDown);
        }
    }

    /** Per key, the published events must be exactly the committed history. */
    private static void compare(Map<Integer, List<String>> expected, List<String> published) {
        Map<Integer, List<String>> actual = new LinkedHashMap<>();
        for (String event : published) {
            // "+I items <id> <v>" / "-D items <id>"
            int key = Integer.parseInt(event.split(" ", 4)[2]);
            actual.computeIfAbsent(key, k -> new ArrayList<>()).add(event);
        }
        long expectedEvents = expected.values().stream().mapToLong(List::size).sum();
        List<String> differences = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> e : expected.entrySet()) {
            List<String> got = actual.getOrDefault(e.getKey(), List.of());
            if (!got.equals(e.getValue())) {
                differences.add(
                        "key " + e.getKey() + ": expected " + e.getValue() + " but got " + got);
            }
        }
        for (Integer key : actual.keySet()) {
            if (!expected.containsKey(key)) {
                differences.add("key " + key + ": unexpected " + actual.get(key));
            }
        }
        assertThat(differences)
                .as(
                        "%d keys differ (first 5 shown); %d events expected, %d published",
                        differences.size(), expectedEvents, published.size())
                .satisfies(d -> assertThat(d.subList(0, Math.min(5, d.size()))).isEmpty());
        assertThat(published).hasSize((int) expectedEvents);
    }
}
