package io.pgwalstream.e2e;

import io.pgwalstream.e2e.changelog.Change;
import io.pgwalstream.e2e.changelog.ChangeWriter;
import io.pgwalstream.e2e.changelog.ChangelogDatabase;
import io.pgwalstream.e2e.changelog.ChangelogOutput;
import io.pgwalstream.e2e.cluster.E2EPaths;
import io.pgwalstream.e2e.cluster.EveryFlinkVersion;
import io.pgwalstream.e2e.cluster.FlinkCli;
import io.pgwalstream.e2e.cluster.FlinkCluster;
import io.pgwalstream.e2e.cluster.FlinkRestClient;
import io.pgwalstream.e2e.cluster.FlinkRestClient.CheckpointStats;
import io.pgwalstream.e2e.cluster.FlinkRestClient.JarRun;
import io.pgwalstream.e2e.cluster.TaskManagerKills;
import io.pgwalstream.e2e.cluster.Waiting;
import io.pgwalstream.e2e.jobs.changelog.ChangelogJob;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresServers;
import io.pgwalstream.testing.postgres.PostgresVersion;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pg-walstream source on real Flink clusters against a real PostgreSQL 17: {@link ChangelogJob}
 * (submitted as a jar that bundles the shaded SQL connector jar) streams two tables, one slot group
 * each, into an exactly-once file sink while a writer keeps inserting, updating and deleting rows.
 * TaskManagers are killed with {@code kill -9} and the job is stopped with a savepoint and resumed;
 * in the end the committed output equals the writer's committed changes: nothing lost, nothing
 * duplicated, in commit order per table.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PostgresChangelogE2ECase {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangelogE2ECase.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String ENTRY_CLASS = ChangelogJob.class.getName();
    private static final int PARALLELISM = 2;
    private static final Duration WRITE_PERIOD = Duration.ofMillis(40);

    /** Transactions the writer commits between two steps, so that each step meets new changes. */
    private static final int STEP = 25;

    /** The default case: one kill, one stop-with-savepoint and a resume, in one run. */
    @EveryFlinkVersion
    void everyChangeOnceThroughATaskManagerKillAndAStopWithSavepoint(
            FlinkCluster cluster, @TempDir Path dir) throws Exception {
        FlinkRestClient rest = cluster.rest();
        ChangelogDatabase db = ChangelogDatabase.create(postgres(), "e2e_kill_savepoint", 2);
        Path output = dir.resolve("output");
        List<String> arguments = db.jobArguments(output, PARALLELISM);

        try (ChangeWriter writer = ChangeWriter.start(db, 11, WRITE_PERIOD)) {
            String jar = rest.uploadJar(E2EPaths.changelogJobJar());
            String first = rest.runJar(jar, JarRun.of(ENTRY_CLASS, arguments));
            awaitRunningWithCheckpoint(rest, first);
            writer.awaitMoreTransactions(STEP, TIMEOUT);

            TaskManagerKills.killAndAwaitRecovery(cluster, first, false, TIMEOUT);
            writer.awaitMoreTransactions(STEP, TIMEOUT);

            String savepoint =
                    rest.stopWithSavepoint(first, dir.resolve("savepoints"), false, TIMEOUT);
            rest.awaitState(first, "FINISHED", TIMEOUT);
            Map<String, Integer> atStop =
                    ChangelogOutput.read(output).assertPrefixOf(writer.committed());
            // The slots keep what is written while no job runs.
            writer.awaitMoreTransactions(STEP, TIMEOUT);

            String second =
                    cluster.cli()
                            .run(E2EPaths.changelogJobJar(), ENTRY_CLASS, arguments, savepoint);
            CheckpointStats restored = awaitRunningWithCheckpoint(rest, second);
            assertThat(restored.restored()).as("restores of the resumed job").isEqualTo(1);
            writer.awaitMoreTransactions(STEP, TIMEOUT);

            List<Change> history = writer.stop();
            ChangelogOutput delivered = finish(rest, second, output, history, dir);
            delivered.assertEqualTo(history);
            LOG.info(
                    "{}: {} changes exactly once ({} committed at the stop); {}",
                    cluster.distribution(),
                    history.size(),
                    atStop,
                    delivered);
        }
        db.dropSlots(TIMEOUT);
    }

    /** Three rounds of killing one TaskManager that runs the job, then one of killing all. */
    @EveryFlinkVersion
    @Tag("slow")
    void everyChangeOnceThroughRepeatedTaskManagerKills(FlinkCluster cluster, @TempDir Path dir)
            throws Exception {
        FlinkRestClient rest = cluster.rest();
        ChangelogDatabase db = ChangelogDatabase.create(postgres(), "e2e_kills", 2);
        Path output = dir.resolve("output");

        try (ChangeWriter writer = ChangeWriter.start(db, 12, WRITE_PERIOD)) {
            String jar = rest.uploadJar(E2EPaths.changelogJobJar());
            String job =
                    rest.runJar(jar, JarRun.of(ENTRY_CLASS, db.jobArguments(output, PARALLELISM)));
            awaitRunningWithCheckpoint(rest, job);
            int rounds = 4;
            for (int round = 1; round <= rounds; round++) {
                writer.awaitMoreTransactions(STEP, TIMEOUT);
                boolean everyTaskManager = round == rounds;
                CheckpointStats stats =
                        TaskManagerKills.killAndAwaitRecovery(
                                cluster, job, everyTaskManager, TIMEOUT);
                LOG.info(
                        "Round {} (every TaskManager: {}) recovered: {}",
                        round,
                        everyTaskManager,
                        stats);
            }
            writer.awaitMoreTransactions(STEP, TIMEOUT);

            List<Change> history = writer.stop();
            ChangelogOutput delivered = finish(rest, job, output, history, dir);
            delivered.assertEqualTo(history);
            assertThat(rest.checkpoints(job).restored()).isGreaterThanOrEqualTo(rounds);
            LOG.info(
                    "{}: {} changes exactly once after {} rounds of kills; {}",
                    cluster.distribution(),
                    history.size(),
                    rounds,
                    delivered);
        }
        db.dropSlots(TIMEOUT);
    }

    /**
     * Stop-with-savepoint and resume twice, through both clients: CLI run, CLI stop, REST run from
     * the savepoint, REST stop, CLI run -s.
     */
    @EveryFlinkVersion
    @Tag("slow")
    void everyChangeOnceThroughStopsWithSavepointFromBothClients(
            FlinkCluster cluster, @TempDir Path dir) throws Exception {
        FlinkRestClient rest = cluster.rest();
        FlinkCli cli = cluster.cli();
        ChangelogDatabase db = ChangelogDatabase.create(postgres(), "e2e_savepoints", 2);
        Path output = dir.resolve("output");
        Path savepoints = dir.resolve("savepoints");
        Path jarFile = E2EPaths.changelogJobJar();
        List<String> arguments = db.jobArguments(output, PARALLELISM);

        try (ChangeWriter writer = ChangeWriter.start(db, 13, WRITE_PERIOD)) {
            String first = cli.run(jarFile, ENTRY_CLASS, arguments, null);
            awaitRunningWithCheckpoint(rest, first);
            writer.awaitMoreTransactions(STEP, TIMEOUT);
            String savepoint1 = cli.stopWithSavepoint(first, savepoints);
            rest.awaitState(first, "FINISHED", TIMEOUT);
            Map<String, Integer> atFirstStop =
                    ChangelogOutput.read(output).assertPrefixOf(writer.committed());
            writer.awaitMoreTransactions(STEP, TIMEOUT);

            String jar = rest.uploadJar(jarFile);
            String second =
                    rest.runJar(jar, JarRun.of(ENTRY_CLASS, arguments).fromSavepoint(savepoint1));
            assertThat(awaitRunningWithCheckpoint(rest, second).restored()).isEqualTo(1);
            writer.awaitMoreTransactions(STEP, TIMEOUT);
            String savepoint2 = rest.stopWithSavepoint(second, savepoints, false, TIMEOUT);
            rest.awaitState(second, "FINISHED", TIMEOUT);
            Map<String, Integer> atSecondStop =
                    ChangelogOutput.read(output).assertPrefixOf(writer.committed());
            writer.awaitMoreTransactions(STEP, TIMEOUT);

            String third = cli.run(jarFile, ENTRY_CLASS, arguments, savepoint2);
            awaitRunningWithCheckpoint(rest, third);
            writer.awaitMoreTransactions(STEP, TIMEOUT);

            List<Change> history = writer.stop();
            ChangelogOutput delivered = finish(rest, third, output, history, dir);
            delivered.assertEqualTo(history);
            LOG.info(
                    "{}: {} changes exactly once; committed {} at the first stop, {} at the second;"
                            + " {}",
                    cluster.distribution(),
                    history.size(),
                    atFirstStop,
                    atSecondStop,
                    delivered);
        }
        db.dropSlots(TIMEOUT);
    }

    private static PostgresServer postgres() {
        return PostgresServers.shared(PostgresVersion.DEFAULT);
    }

    /** All tasks running and one checkpoint completed since, so that the job has made progress. */
    private static CheckpointStats awaitRunningWithCheckpoint(FlinkRestClient rest, String jobId)
            throws Exception {
        rest.awaitAllTasksRunning(jobId, TIMEOUT);
        return rest.awaitCheckpointAfter(
                jobId, rest.checkpoints(jobId).latestCompletedId(), TIMEOUT);
    }

    /**
     * Waits until the committed output has as many lines as the writer committed changes, then
     * stops the job with a savepoint (which commits what is still pending) and returns the final
     * output. A job that lost changes times out here; one that duplicated them fails the
     * comparison.
     */
    private static ChangelogOutput finish(
            FlinkRestClient rest, String jobId, Path output, List<Change> history, Path dir)
            throws Exception {
        try {
            Waiting.until(
                    history.size() + " committed lines",
                    TIMEOUT,
                    () -> ChangelogOutput.read(output).lines() >= history.size(),
                    () -> ChangelogOutput.read(output) + ", job " + rest.jobState(jobId));
        } catch (TimeoutException e) {
            // Say what is missing rather than only that something is.
            try {
                ChangelogOutput.read(output).assertEqualTo(history);
            } catch (AssertionError difference) {
                difference.addSuppressed(e);
                throw difference;
            }
            throw e;
        }
        rest.stopWithSavepoint(jobId, dir.resolve("final-savepoint"), false, TIMEOUT);
        rest.awaitState(jobId, "FINISHED", TIMEOUT);
        return ChangelogOutput.read(output);
    }
}
