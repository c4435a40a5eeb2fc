package io.pgwalstream.flink.source.enumerator;

import org.apache.flink.metrics.MetricGroup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What operators see of the initial snapshots on the enumerator: metrics ({@link SnapshotGauges}:
 * chunks, rows, rows/s, the exported snapshot's age — it holds back vacuum — in total and per
 * table) and an INFO line with an estimate of the time left, at most every {@link
 * #LOG_INTERVAL_MILLIS}. Updated on the coordinator thread; the gauges read only volatile totals
 * and immutable per-table values, never the snapshots themselves.
 */
final class SnapshotProgress {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotProgress.class);
    private static final long LOG_INTERVAL_MILLIS = 10_000;
    private static final long TABLES_REFRESH_MILLIS = 1_000;

    private final List<GroupSnapshot> active = new ArrayList<>();
    private final Map<String, TableSnapshotProgress> finishedTables = new HashMap<>();
    private long finishedChunks;
    private long finishedRows;
    private long lastLog;
    private long lastTablesRefresh;
    private SnapshotGauges gauges;
    private boolean tableGauges;

    /** Per table, replaced whole on each refresh; gauges are added as tables appear. */
    private final Map<String, TableSnapshotProgress> tables = new ConcurrentHashMap<>();

    private volatile long chunksTotal;
    private volatile long chunksEmitted;
    private volatile long rows;
    private volatile long rowsPerSecond;

    /** Start of the oldest exported snapshot still held; 0 when none is. */
    private volatile long oldestExportMillis;

    SnapshotProgress(Collection<GroupSnapshot> restored) {
        active.addAll(restored);
        refresh(true);
    }

    /**
     * @param perTable whether to add each table's gauges too
     */
    void register(MetricGroup metrics, boolean perTable) {
        gauges = SnapshotGauges.attach(metrics, this);
        this.tableGauges = perTable;
        if (perTable) {
            tables.keySet().forEach(gauges::addTable);
        }
    }

    long chunksTotal() {
        return chunksTotal;
    }

    long chunksEmitted() {
        return chunksEmitted;
    }

    long rows() {
        return rows;
    }

    long rowsPerSecond() {
        return rowsPerSecond;
    }

    /** Seconds the oldest exported snapshot still held has been open (it holds back vacuum). */
    long ageSeconds() {
        long start = oldestExportMillis;
        return start == 0 ? 0L : (System.currentTimeMillis() - start) / 1000;
    }

    /** The progress of one table, as the metrics show it. */
    TableSnapshotProgress progressOf(String table) {
        return tables.getOrDefault(table, TableSnapshotProgress.NONE);
    }

    void add(GroupSnapshot snapshot) {
        active.add(snapshot);
        refresh(true);
    }

    /** After a chunk was reported or a checkpoint completed: totals, and a log line if due. */
    void changed(GroupSnapshot snapshot) {
        refresh(false);
        long now = System.currentTimeMillis();
        if (now - lastLog >= LOG_INTERVAL_MILLIS) {
            lastLog = now;
            log(snapshot, now);
        }
    }

    void finished(GroupSnapshot snapshot) {
        if (active.remove(snapshot)) {
            finishedChunks += snapshot.total();
            finishedRows += snapshot.rows();
            snapshot.tables()
                    .forEach((t, p) -> finishedTables.merge(t, p, TableSnapshotProgress::plus));
        }
        refresh(true);
    }

    /**
     * @param tablesToo also the per-table values, which walk every chunk: on each report only once
     *     a second (the coordinator thread also hands out the next chunks)
     */
    private void refresh(boolean tablesToo) {
        long now = System.currentTimeMillis();
        if (tablesToo || now - lastTablesRefresh >= TABLES_REFRESH_MILLIS) {
            lastTablesRefresh = now;
            refreshTables();
        }
        long total = finishedChunks;
        long emitted = finishedChunks;
        long rowCount = finishedRows;
        double rate = 0;
        long oldest = 0;
        for (GroupSnapshot s : active) {
            total += s.total();
            emitted += s.emitted();
            rowCount += s.rows();
            rate += s.rows() / Math.max(0.001, (now - s.startedMillis()) / 1000.0);
            if (s.exportAlive() && (oldest == 0 || s.startedMillis() < oldest)) {
                oldest = s.startedMillis();
            }
        }
        chunksTotal = total;
        chunksEmitted = emitted;
        rows = rowCount;
        rowsPerSecond = Math.round(rate);
        oldestExportMillis = oldest;
    }

    private void refreshTables() {
        Map<String, TableSnapshotProgress> perTable = new HashMap<>(finishedTables);
        for (GroupSnapshot s : active) {
            s.tables().forEach((t, p) -> perTable.merge(t, p, TableSnapshotProgress::plus));
        }
        perTable.forEach(
                (t, p) -> {
                    if (tables.put(t, p) == null && gauges != null && tableGauges) {
                        gauges.addTable(t);
                    }
                });
    }

    private static void log(GroupSnapshot snapshot, long now) {
        double seconds = Math.max(0.001, (now - snapshot.startedMillis()) / 1000.0);
        int emitted = snapshot.emitted();
        long left =
                emitted == 0
                        ? -1
                        : Math.round(seconds * (snapshot.total() - emitted) / (double) emitted);
        LOG.info(
                "Initial snapshot of slot group {}: {} of {} chunks emitted ({} done), {} rows,"
                        + " {} rows/s, {}",
                snapshot.groupId(),
                emitted,
                snapshot.total(),
                snapshot.done(),
                snapshot.rows(),
                Math.round(snapshot.rows() / seconds),
                left < 0 ? "no estimate yet" : "about " + left + " s left");
    }
}
