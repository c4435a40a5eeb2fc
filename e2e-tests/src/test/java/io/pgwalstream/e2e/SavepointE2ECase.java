package io.pgwalstream.e2e;

import io.pgwalstream.e2e.cluster.E2EPaths;
import io.pgwalstream.e2e.cluster.EveryFlinkVersion;
import io.pgwalstream.e2e.cluster.FlinkCli;
import io.pgwalstream.e2e.cluster.FlinkCluster;
import io.pgwalstream.e2e.cluster.FlinkRestClient;
import io.pgwalstream.e2e.cluster.FlinkRestClient.CheckpointStats;
import io.pgwalstream.e2e.cluster.FlinkRestClient.JarRun;
import io.pgwalstream.e2e.sequence.SequenceJobParameters;
import io.pgwalstream.e2e.sequence.SequenceOutput;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stop-with-savepoint and resume, twice, through both clients: CLI {@code run}, CLI {@code stop},
 * REST run from the savepoint, REST stop, CLI {@code run -s}. Each stop leaves a gap-free committed
 * prefix; the finished job's output holds every element once.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SavepointE2ECase {

    private static final Logger LOG = LoggerFactory.getLogger(SavepointE2ECase.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @EveryFlinkVersion
    void resumesFromSavepointsWithoutLossOrDuplicates(FlinkCluster cluster, @TempDir Path dir)
            throws Exception {
        FlinkRestClient rest = cluster.rest();
        FlinkCli cli = cluster.cli();
        SequenceJobParameters job = SequenceJobParameters.pacedUntilReleased(dir);
        Path jobsJar = E2EPaths.jobsJar();
        Path savepoints = dir.resolve("savepoints");

        // 1. CLI run, CLI stop-with-savepoint.
        String first = cli.run(jobsJar, SequenceJobParameters.ENTRY_CLASS, job.arguments(), null);
        awaitRunningWithCheckpoint(rest, first);
        String savepoint1 = cli.stopWithSavepoint(first, savepoints);
        rest.awaitState(first, "FINISHED", TIMEOUT);
        Map<Integer, Long> committed1 =
                SequenceOutput.read(job.output()).assertPrefixes(job.splits());

        // 2. REST run from that savepoint, REST stop-with-savepoint.
        String jar = rest.uploadJar(jobsJar);
        String second =
                rest.runJar(
                        jar,
                        JarRun.of(SequenceJobParameters.ENTRY_CLASS, job.arguments())
                                .fromSavepoint(savepoint1));
        CheckpointStats restored = awaitRunningWithCheckpoint(rest, second);
        assertThat(restored.restored()).as("restores of the second job").isEqualTo(1);
        String savepoint2 = rest.stopWithSavepoint(second, savepoints, false, TIMEOUT);
        rest.awaitState(second, "FINISHED", TIMEOUT);
        Map<Integer, Long> committed2 =
                SequenceOutput.read(job.output()).assertPrefixes(job.splits());

        // 3. CLI run -s, then let it finish.
        String third =
                cli.run(jobsJar, SequenceJobParameters.ENTRY_CLASS, job.arguments(), savepoint2);
        awaitRunningWithCheckpoint(rest, third);
        job.release();
        rest.awaitState(third, "FINISHED", TIMEOUT);

        SequenceOutput output = SequenceOutput.read(job.output());
        output.assertExactly(job.splits(), job.recordsPerSplit());
        LOG.info(
                "{}: committed {} at the first stop, {} at the second; finally {}",
                cluster.distribution(),
                committed1,
                committed2,
                output);
    }

    /** All tasks running and one checkpoint completed, so that the job has made progress. */
    private static CheckpointStats awaitRunningWithCheckpoint(FlinkRestClient rest, String jobId)
            throws Exception {
        rest.awaitAllTasksRunning(jobId, TIMEOUT);
        return rest.awaitCheckpointAfter(
                jobId, rest.checkpoints(jobId).latestCompletedId(), TIMEOUT);
    }
}
