package io.pgwalstream.flink.source.reader;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.flink.source.ChangeEventDeserializer;
import io.pgwalstream.flink.source.PgWalStreamSourceConfig;
import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.flink.source.split.PgWalStreamSplitState;
import io.pgwalstream.protocol.Lsn;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The source reader. Exactly-once rests on one rule here: an LSN is confirmed to PostgreSQL only in
 * {@link #notifyCheckpointComplete}, and only the LSN recorded in that checkpoint's split states —
 * everything before it was emitted before the checkpoint barrier.
 */
@Internal
public final class PgWalStreamSourceReader<T>
        extends SingleThreadMultiplexSourceReaderBase<
                ChangeEvent, T, PgWalStreamSplit, PgWalStreamSplitState> {

    private static final Logger LOG = LoggerFactory.getLogger(PgWalStreamSourceReader.class);

    private final SplitRegistry registry;
    private final PgWalStreamReaderMetrics metrics;

    /** Per pending checkpoint: the confirmable LSN of each split. */
    private final SortedMap<Long, Map<String, Lsn>> pendingConfirmations = new TreeMap<>();

    private PgWalStreamSourceReader(
            PgWalStreamSourceConfig config,
            ChangeEventDeserializer<T> deserializer,
            SourceReaderContext context,
            SplitRegistry registry,
            PgWalStreamReaderMetrics metrics) {
        super(
                () ->
                        new PgWalStreamSplitReader(
                                config,
                                registry,
                                new RestoreCheck(config.connection(), config.acceptRestoreGap()),
                                metrics),
                new PgWalStreamRecordEmitter<>(deserializer, registry),
                new Configuration(),
                context);
        this.registry = registry;
        this.metrics = metrics;
    }

    public static <T> PgWalStreamSourceReader<T> create(
            PgWalStreamSourceConfig config,
            ChangeEventDeserializer<T> deserializer,
            SourceReaderContext context) {
        PgWalStreamReaderMetrics metrics =
                new PgWalStreamReaderMetrics(
                        context.metricGroup(),
                        new ServerWalPoller(config.connection(), config.serverPollInterval()));
        return new PgWalStreamSourceReader<>(
                config, deserializer, context, new SplitRegistry(), metrics);
    }

    @Override
    public void start() {
        // Splits are pushed by the enumerator; nothing to request.
    }

    @Override
    protected PgWalStreamSplitState initializedState(PgWalStreamSplit split) {
        return new PgWalStreamSplitState(split);
    }

    @Override
    protected PgWalStreamSplit toSplitType(String splitId, PgWalStreamSplitState state) {
        SplitRegistry.Shared shared = registry.get(splitId);
        if (shared != null) {
            // Keepalives may have made more safe since the last emitted record.
            state.confirmable(shared.progress().takeSafeLsn());
        }
        return state.toSplit();
    }

    @Override
    public List<PgWalStreamSplit> snapshotState(long checkpointId) {
        List<PgWalStreamSplit> splits = super.snapshotState(checkpointId);
        Map<String, Lsn> confirmable = new HashMap<>();
        for (PgWalStreamSplit split : splits) {
            if (split.confirmableLsn().isValid()) {
                confirmable.put(split.splitId(), split.confirmableLsn());
            }
        }
        pendingConfirmations.put(checkpointId, confirmable);
        return splits;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        // A completed checkpoint also covers the older ones still pending; take the newest LSN.
        SortedMap<Long, Map<String, Lsn>> completed =
                pendingConfirmations.headMap(checkpointId + 1);
        Map<String, Lsn> newest = new HashMap<>();
        completed.values().forEach(newest::putAll);
        completed.clear();
        for (Map.Entry<String, Lsn> e : newest.entrySet()) {
            SplitRegistry.Shared shared = registry.get(e.getKey());
            if (shared != null && shared.feedback().advanceFlushed(e.getValue())) {
                LOG.debug(
                        "Checkpoint {}: confirming {} for split {}",
                        checkpointId,
                        e.getValue(),
                        e.getKey());
            }
        }
        super.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            metrics.close();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, PgWalStreamSplitState> finishedSplits) {
        finishedSplits.keySet().forEach(registry::remove);
    }
}
