package io.pgwalstream.flink.source.enumerator;

import org.apache.flink.metrics.MetricGroup;

import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code snapshot} gauges of an enumerator's metric group. That group outlives the enumerator:
 * a global failover creates a new enumerator on the same group, and Flink can neither replace nor
 * remove a gauge. So the gauges are registered once per group and read whichever {@link
 * SnapshotProgress} is current.
 */
final class SnapshotGauges {

    /** Weak keys, and values that hold their group only weakly: a finished job's entry goes. */
    private static final Map<MetricGroup, SnapshotGauges> BY_GROUP =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final WeakReference<MetricGroup> group;
    private final Set<String> tables = ConcurrentHashMap.newKeySet();
    private volatile SnapshotProgress progress;

    private SnapshotGauges(MetricGroup group) {
        this.group = new WeakReference<>(group);
    }

    /** The gauges of {@code enumeratorMetrics}, showing {@code progress} from now on. */
    static SnapshotGauges attach(MetricGroup enumeratorMetrics, SnapshotProgress progress) {
        MetricGroup snapshot = enumeratorMetrics.addGroup("snapshot");
        SnapshotGauges gauges;
        synchronized (BY_GROUP) {
            gauges = BY_GROUP.get(snapshot);
            if (gauges == null) {
                gauges = new SnapshotGauges(snapshot);
                gauges.registerTotals(snapshot);
                BY_GROUP.put(snapshot, gauges);
            }
        }
        gauges.progress = progress;
        return gauges;
    }

    private void registerTotals(MetricGroup snapshot) {
        snapshot.gauge("chunksTotal", () -> progress.chunksTotal());
        snapshot.gauge("chunksEmitted", () -> progress.chunksEmitted());
        snapshot.gauge("chunksRemaining", () -> progress.chunksTotal() - progress.chunksEmitted());
        snapshot.gauge("rows", () -> progress.rows());
        snapshot.gauge("rowsPerSecond", () -> progress.rowsPerSecond());
        snapshot.gauge("ageSeconds", () -> progress.ageSeconds());
    }

    /** Adds the gauges of a table under {@code snapshot.table.<schema.table>}, once. */
    void addTable(String table) {
        MetricGroup snapshot = group.get();
        if (snapshot == null || !tables.add(table)) {
            return;
        }
        MetricGroup metrics = snapshot.addGroup("table", table);
        metrics.gauge("chunksTotal", () -> progress.progressOf(table).chunks());
        metrics.gauge("chunksEmitted", () -> progress.progressOf(table).emitted());
        metrics.gauge("chunksRemaining", () -> progress.progressOf(table).remaining());
        metrics.gauge("rows", () -> progress.progressOf(table).rows());
    }
}
