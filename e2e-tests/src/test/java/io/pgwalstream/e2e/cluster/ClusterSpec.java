package io.pgwalstream.e2e.cluster;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a test cluster. The defaults fit a shared 2-core machine: two TaskManagers with two
 * slots each (a parallelism-2 job still fits after one TaskManager died), checkpoints every second,
 * and a fixed-delay restart strategy that outlasts several TaskManager kills.
 *
 * @param taskManagers how many TaskManagers {@link FlinkCluster#start} starts
 * @param slotsPerTaskManager {@code taskManager.numberOfTaskSlots}
 * @param checkpointInterval {@code execution.checkpointing.interval}; zero for none
 * @param extraConfiguration added to (and overriding) the generated {@code config.yaml}
 */
public record ClusterSpec(
        int taskManagers,
        int slotsPerTaskManager,
        Duration checkpointInterval,
        Map<String, String> extraConfiguration) {

    public ClusterSpec {
        if (taskManagers < 0 || slotsPerTaskManager < 1) {
            throw new IllegalArgumentException("Need taskManagers >= 0 and slots >= 1");
        }
        extraConfiguration = Map.copyOf(extraConfiguration);
    }

    public static ClusterSpec defaults() {
        return new ClusterSpec(2, 2, Duration.ofSeconds(1), Map.of());
    }

    public ClusterSpec withTaskManagers(int count) {
        return new ClusterSpec(count, slotsPerTaskManager, checkpointInterval, extraConfiguration);
    }

    public ClusterSpec withSlotsPerTaskManager(int slots) {
        return new ClusterSpec(taskManagers, slots, checkpointInterval, extraConfiguration);
    }

    public ClusterSpec withCheckpointInterval(Duration interval) {
        return new ClusterSpec(taskManagers, slotsPerTaskManager, interval, extraConfiguration);
    }

    public ClusterSpec withConfiguration(String key, String value) {
        Map<String, String> extra = new LinkedHashMap<>(extraConfiguration);
        extra.put(key, value);
        return new ClusterSpec(taskManagers, slotsPerTaskManager, checkpointInterval, extra);
    }

    public int totalSlots() {
        return taskManagers * slotsPerTaskManager;
    }
}
