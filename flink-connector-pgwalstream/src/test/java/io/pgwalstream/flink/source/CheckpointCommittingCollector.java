package io.pgwalstream.flink.source;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A transactional test sink: records are buffered per checkpoint and published only when that
 * checkpoint completes, so what is published is exactly what an exactly-once sink would show.
 * Buffers not yet published are part of the checkpoint; a restore publishes them (their checkpoint
 * did complete), and publishing is idempotent per checkpoint id, so a restore after a publish does
 * not publish twice.
 *
 * <p>A function followed by a discarding sink rather than a Sink V2: the Sink V2 writer API differs
 * between Flink 1.20 and 2.x and this test runs on both. Run it with parallelism 1; the published
 * store is JVM-wide (the MiniCluster runs in the test JVM).
 */
final class CheckpointCommittingCollector
        implements FlatMapFunction<String, String>, CheckpointedFunction, CheckpointListener {

    /** Published records by checkpoint id. */
    static final ConcurrentSkipListMap<Long, List<String>> PUBLISHED =
            new ConcurrentSkipListMap<>();

    private final long pauseNanosPerRecord;
    private transient List<String> current;
    private transient NavigableMap<Long, List<String>> pending;
    private transient ListState<Tuple2<Long, String>> state;

    /**
     * @param pauseNanosPerRecord slows the pipeline down so the source builds a backlog: then
     *     checkpoints and failures land in the middle of transactions, not only in idle gaps
     */
    CheckpointCommittingCollector(long pauseNanosPerRecord) {
        this.pauseNanosPerRecord = pauseNanosPerRecord;
    }

    static void reset() {
        PUBLISHED.clear();
    }

    /** Everything published so far, in order. */
    static List<String> published() {
        List<String> all = new ArrayList<>();
        PUBLISHED.values().forEach(all::addAll);
        return all;
    }

    static long publishedCount() {
        long n = 0;
        for (List<String> records : PUBLISHED.values()) {
            n += records.size();
        }
        return n;
    }

    @Override
    public void flatMap(String value, Collector<String> out) {
        current.add(value);
        if (pauseNanosPerRecord > 0) {
            LockSupport.parkNanos(pauseNanosPerRecord);
        }
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        current = new ArrayList<>();
        pending = new TreeMap<>();
        state =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "pending", Types.TUPLE(Types.LONG, Types.STRING)));
        if (context.isRestored()) {
            // Restored from a completed checkpoint: its buffers (and older ones) are committed.
            Map<Long, List<String>> restored = new LinkedHashMap<>();
            for (Tuple2<Long, String> entry : state.get()) {
                restored.computeIfAbsent(entry.f0, k -> new ArrayList<>()).add(entry.f1);
            }
            restored.forEach(PUBLISHED::putIfAbsent);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        pending.put(context.getCheckpointId(), current);
        current = new ArrayList<>();
        List<Tuple2<Long, String>> entries = new ArrayList<>();
        pending.forEach((id, records) -> records.forEach(r -> entries.add(Tuple2.of(id, r))));
        state.update(entries);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        NavigableMap<Long, List<String>> done = pending.headMap(checkpointId, true);
        done.forEach(PUBLISHED::putIfAbsent);
        done.clear();
    }
}
