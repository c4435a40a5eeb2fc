package io.pgwalstream.e2e;

import io.pgwalstream.e2e.cluster.E2EPaths;
import io.pgwalstream.e2e.cluster.EveryFlinkVersion;
import io.pgwalstream.e2e.cluster.FlinkCluster;
import io.pgwalstream.e2e.cluster.FlinkRestClient;
import io.pgwalstream.e2e.cluster.FlinkRestClient.CheckpointStats;
import io.pgwalstream.e2e.cluster.FlinkRestClient.JarRun;
import io.pgwalstream.e2e.cluster.Waiting;
import io.pgwalstream.e2e.sequence.SequenceJobParameters;
import io.pgwalstream.e2e.sequence.SequenceOutput;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A checkpointed job survives {@code kill -9} of the TaskManagers that run it: after each kill the
 * job restores its last checkpoint on the surviving and replacement TaskManagers, and its
 * exactly-once file output finally holds every element once.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TaskManagerFailoverE2ECase {

    private static final Logger LOG = LoggerFactory.getLogger(TaskManagerFailoverE2ECase.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int KILLS = 2;

    @EveryFlinkVersion
    void killedTaskManagersLoseAndDuplicateNothing(FlinkCluster cluster, @TempDir Path dir)
            throws Exception {
        FlinkRestClient rest = cluster.rest();
        SequenceJobParameters job = SequenceJobParameters.pacedUntilReleased(dir);

        String jar = rest.uploadJar(E2EPaths.jobsJar());
        String jobId =
                rest.runJar(jar, JarRun.of(SequenceJobParameters.ENTRY_CLASS, job.arguments()));
        rest.awaitAllTasksRunning(jobId, TIMEOUT);
        CheckpointStats stats = rest.awaitCheckpointAfter(jobId, 0, TIMEOUT);

        for (int kill = 1; kill <= KILLS; kill++) {
            Set<String> hosts = rest.taskManagersRunning(jobId);
            assertThat(hosts).as("TaskManagers running the job").isNotEmpty();
            String victim = hosts.iterator().next();
            long restoredBefore = stats.restored();

            cluster.killTaskManager(victim);
            String replacement = cluster.startTaskManager();
            LOG.info("Kill {}: killed {} (ran {}), started {}", kill, victim, hosts, replacement);

            // Recovered: the dead TaskManager's tasks run elsewhere, restored from a checkpoint,
            // and the job has checkpointed again since.
            Waiting.until(
                    "job " + jobId + " to run without " + victim,
                    TIMEOUT,
                    () -> !rest.taskManagersRunning(jobId).contains(victim));
            rest.awaitAllTasksRunning(jobId, TIMEOUT);
            CheckpointStats restored =
                    Waiting.until(
                            "job " + jobId + " to restore a checkpoint",
                            TIMEOUT,
                            () ->
                                    java.util.Optional.of(rest.checkpoints(jobId))
                                            .filter(s -> s.restored() > restoredBefore));
            stats = rest.awaitCheckpointAfter(jobId, restored.latestRestoredId(), TIMEOUT);
            cluster.awaitTaskManagers(cluster.spec().taskManagers(), TIMEOUT);
        }

        job.release();
        rest.awaitState(jobId, "FINISHED", TIMEOUT);

        SequenceOutput output = SequenceOutput.read(job.output());
        output.assertExactly(job.splits(), job.recordsPerSplit());
        assertThat(rest.checkpoints(jobId).restored()).isGreaterThanOrEqualTo(KILLS);
        LOG.info("{}: {} after {} TaskManager kills", cluster.distribution(), output, KILLS);
    }
}
