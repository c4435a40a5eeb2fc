package io.pgwalstream.e2e;

import io.pgwalstream.e2e.cluster.E2EPaths;
import io.pgwalstream.e2e.cluster.EveryFlinkVersion;
import io.pgwalstream.e2e.cluster.FlinkCluster;
import io.pgwalstream.e2e.cluster.FlinkRestClient;
import io.pgwalstream.e2e.cluster.FlinkRestClient.CheckpointStats;
import io.pgwalstream.e2e.cluster.FlinkRestClient.JarRun;
import io.pgwalstream.e2e.cluster.TaskManagerKills;
import io.pgwalstream.e2e.sequence.SequenceJobParameters;
import io.pgwalstream.e2e.sequence.SequenceOutput;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A checkpointed job survives {@code kill -9} of the TaskManagers that run it: after each kill the
 * job restores its last checkpoint on the surviving and replacement TaskManagers, and its
 * exactly-once file output finally holds every element once (nothing lost, nothing duplicated).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TaskManagerFailoverE2ECase {

    private static final Logger LOG = LoggerFactory.getLogger(TaskManagerFailoverE2ECase.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    /** Two rounds of: kill one TaskManager that runs a part of the job, start a replacement. */
    @EveryFlinkVersion
    void killedTaskManagersLoseAndDuplicateNothing(FlinkCluster cluster, @TempDir Path dir)
            throws Exception {
        runThroughKills(cluster, dir, 2, false);
    }

    /** Three rounds of: kill every TaskManager at once, start as many new ones. */
    @EveryFlinkVersion
    @Tag("slow")
    void everyTaskManagerKilledAtOnceLosesAndDuplicatesNothing(
            FlinkCluster cluster, @TempDir Path dir) throws Exception {
        runThroughKills(cluster, dir, 3, true);
    }

    private static void runThroughKills(
            FlinkCluster cluster, Path dir, int rounds, boolean everyTaskManager) throws Exception {
        FlinkRestClient rest = cluster.rest();
        SequenceJobParameters job = SequenceJobParameters.pacedUntilReleased(dir);

        String jar = rest.uploadJar(E2EPaths.jobsJar());
        String jobId =
                rest.runJar(jar, JarRun.of(SequenceJobParameters.ENTRY_CLASS, job.arguments()));
        rest.awaitAllTasksRunning(jobId, TIMEOUT);
        rest.awaitCheckpointAfter(jobId, 0, TIMEOUT);

        for (int round = 1; round <= rounds; round++) {
            CheckpointStats stats =
                    TaskManagerKills.killAndAwaitRecovery(
                            cluster, jobId, everyTaskManager, TIMEOUT);
            LOG.info("Round {} recovered: {}", round, stats);
        }

        job.release();
        rest.awaitState(jobId, "FINISHED", TIMEOUT);

        SequenceOutput output = SequenceOutput.read(job.output());
        output.assertExactly(job.splits(), job.recordsPerSplit());
        assertThat(rest.checkpoints(jobId).restored()).isGreaterThanOrEqualTo(rounds);
        LOG.info("{}: {} after {} rounds of kills", cluster.distribution(), output, rounds);
    }
}
