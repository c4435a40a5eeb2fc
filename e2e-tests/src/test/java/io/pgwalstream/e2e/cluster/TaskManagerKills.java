package io.pgwalstream.e2e.cluster;

import io.pgwalstream.e2e.cluster.FlinkRestClient.CheckpointStats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * One round of TaskManager failure for a running job: {@code kill -9} of one TaskManager that runs
 * a part of the job (or of every TaskManager), as many replacements started, and a wait until the
 * job has recovered: its tasks run on other TaskManagers, it restored a checkpoint, and it has
 * completed a checkpoint since.
 */
public final class TaskManagerKills {

    private static final Logger LOG = LoggerFactory.getLogger(TaskManagerKills.class);

    private TaskManagerKills() {}

    /**
     * Kills and waits for recovery.
     *
     * @param everyTaskManager kill all TaskManagers at once rather than one that runs the job
     * @return the checkpoint counters after the recovery
     */
    public static CheckpointStats killAndAwaitRecovery(
            FlinkCluster cluster, String jobId, boolean everyTaskManager, Duration timeout)
            throws TimeoutException {
        FlinkRestClient rest = cluster.rest();
        Set<String> hosts = rest.taskManagersRunning(jobId);
        if (hosts.isEmpty()) {
            throw new AssertionError("No TaskManager runs job " + jobId);
        }
        List<String> victims =
                everyTaskManager
                        ? new ArrayList<>(cluster.taskManagers().keySet())
                        : List.of(hosts.iterator().next());
        long restoredBefore = rest.checkpoints(jobId).restored();

        victims.forEach(cluster::killTaskManager);
        List<String> replacements = new ArrayList<>();
        for (int i = 0; i < victims.size(); i++) {
            replacements.add(cluster.startTaskManager());
        }
        LOG.info("Killed {} (job ran on {}), started {}", victims, hosts, replacements);

        Waiting.until(
                "job " + jobId + " to run without " + victims,
                timeout,
                () -> Collections.disjoint(rest.taskManagersRunning(jobId), victims));
        rest.awaitAllTasksRunning(jobId, timeout);
        CheckpointStats restored =
                Waiting.until(
                        "job " + jobId + " to restore a checkpoint",
                        timeout,
                        () ->
                                Optional.of(rest.checkpoints(jobId))
                                        .filter(s -> s.restored() > restoredBefore));
        CheckpointStats stats =
                rest.awaitCheckpointAfter(jobId, restored.latestRestoredId(), timeout);
        cluster.awaitTaskManagers(cluster.spec().taskManagers(), timeout);
        return stats;
    }
}
