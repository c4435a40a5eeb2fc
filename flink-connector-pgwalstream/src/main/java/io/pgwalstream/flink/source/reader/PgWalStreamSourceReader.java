package io.pgwalstream.flink.source.reader;

import io.pgwalstream.flink.source.ChangeEventDeserializer;
import io.pgwalstream.flink.source.PgWalStreamSourceConfig;
import io.pgwalstream.flink.source.event.ChunkEmitted;
import io.pgwalstream.flink.source.event.ChunkUnread;
import io.pgwalstream.flink.source.event.ChunksAcknowledged;
import io.pgwalstream.flink.source.event.StreamSplitsHeld;
import io.pgwalstream.flink.source.split.PgWalStreamSourceSplit;
import io.pgwalstream.flink.source.split.PgWalStreamSourceSplitState;
import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.flink.source.split.PgWalStreamSplitState;
import io.pgwalstream.flink.source.split.SnapshotChunkSplit;
import io.pgwalstream.flink.source.split.SnapshotChunkState;
import io.pgwalstream.protocol.Lsn;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.UserCodeClassLoader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The source reader. Exactly-once rests on one rule here: an LSN is confirmed to PostgreSQL only in
 * {@link #notifyCheckpointComplete}, and only the LSN recorded in that checkpoint's split states —
 * everything before it was emitted before the checkpoint barrier.
 *
 * <p>Snapshot chunks: a chunk emitted here stays in this reader's state, marked emitted, until the
 * enumerator acknowledges that a completed checkpoint of its own records it; after a restore the
 * reader reports such chunks again instead of reading them.
 */
@Internal
public final class PgWalStreamSourceReader<T>
        extends SingleThreadMultiplexSourceReaderBase<
                FetchedRecord, T, PgWalStreamSourceSplit, PgWalStreamSourceSplitState> {

    private static final Logger LOG = LoggerFactory.getLogger(PgWalStreamSourceReader.class);

    private final SplitRegistry registry;
    private final PgWalStreamReaderMetrics metrics;

    /** Per pending checkpoint: the confirmable LSN of each split. */
    private final SortedMap<Long, Map<String, Lsn>> pendingConfirmations = new TreeMap<>();

    private final ChangeEventDeserializer<T> deserializer;

    /** The slot groups (stream split ids) this reader reads. */
    private final Set<String> streamSplits = new LinkedHashSet<>();

    /** Chunks emitted here and not yet acknowledged by the enumerator, by split id. */
    private final Map<String, SnapshotChunkSplit> emittedChunks = new LinkedHashMap<>();

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
                new PgWalStreamRecordEmitter<>(
                        deserializer,
                        registry,
                        context.metricGroup().getIOMetricGroup().getNumRecordsInCounter()),
                new Configuration(),
                context);
        this.registry = registry;
        this.metrics = metrics;
        this.deserializer = deserializer;
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
        // Splits are pushed by the enumerator; it balances them by what each reader restored.
        context.sendSourceEventToCoordinator(new StreamSplitsHeld(List.copyOf(streamSplits)));
        try {
            deserializer.open(
                    new DeserializationSchema.InitializationContext() {
                        @Override
                        public MetricGroup getMetricGroup() {
                            return context.metricGroup();
                        }

                        @Override
                        public UserCodeClassLoader getUserCodeClassLoader() {
                            return context.getUserCodeClassLoader();
                        }
                    });
        } catch (Exception e) {
            throw new FlinkRuntimeException(
                    "Opening the deserializer " + deserializer.getClass().getName() + " failed", e);
        }
    }

    @Override
    public void addSplits(List<PgWalStreamSourceSplit> splits) {
        List<PgWalStreamSourceSplit> toRead = new ArrayList<>();
        for (PgWalStreamSourceSplit split : splits) {
            if (split instanceof SnapshotChunkSplit chunk && chunk.emitted()) {
                // Restored after its rows were emitted: they are in the checkpoint already.
                emittedChunks.put(chunk.splitId(), chunk);
                context.sendSourceEventToCoordinator(new ChunkEmitted(chunk.splitId(), -1));
            } else {
                if (split instanceof PgWalStreamSplit stream) {
                    streamSplits.add(stream.splitId());
                }
                toRead.add(split);
            }
        }
        if (!toRead.isEmpty()) {
            super.addSplits(toRead);
        }
    }

    @Override
    public void handleSourceEvents(SourceEvent event) {
        if (event instanceof ChunksAcknowledged acknowledged) {
            acknowledged.splitIds().forEach(emittedChunks::remove);
        } else {
            super.handleSourceEvents(event);
        }
    }

    @Override
    protected PgWalStreamSourceSplitState initializedState(PgWalStreamSourceSplit split) {
        if (split instanceof SnapshotChunkSplit chunk) {
            return new SnapshotChunkState(chunk);
        }
        return new PgWalStreamSplitState((PgWalStreamSplit) split);
    }

    @Override
    protected PgWalStreamSourceSplit toSplitType(
            String splitId, PgWalStreamSourceSplitState state) {
        if (state instanceof PgWalStreamSplitState stream) {
            SplitRegistry.Shared shared = registry.get(splitId);
            if (shared != null) {
                // Keepalives may have made more safe since the last emitted record.
                stream.confirmable(shared.progress().takeSafeLsn());
            }
        }
        return state.toSplit();
    }

    @Override
    public List<PgWalStreamSourceSplit> snapshotState(long checkpointId) {
        List<PgWalStreamSourceSplit> splits = new ArrayList<>(super.snapshotState(checkpointId));
        Map<String, Lsn> confirmable = new HashMap<>();
        for (PgWalStreamSourceSplit split : splits) {
            if (split instanceof PgWalStreamSplit stream && stream.confirmableLsn().isValid()) {
                confirmable.put(stream.splitId(), stream.confirmableLsn());
            }
        }
        pendingConfirmations.put(checkpointId, confirmable);
        splits.addAll(emittedChunks.values());
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
    protected void onSplitFinished(Map<String, PgWalStreamSourceSplitState> finishedSplits) {
        for (PgWalStreamSourceSplitState state : finishedSplits.values()) {
            if (state instanceof SnapshotChunkState chunk && chunk.isUnread()) {
                context.sendSourceEventToCoordinator(
                        new ChunkUnread(chunk.splitId(), chunk.split().snapshotName()));
            } else if (state instanceof SnapshotChunkState chunk) {
                SnapshotChunkSplit emitted = chunk.toSplit();
                emittedChunks.put(emitted.splitId(), emitted);
                context.sendSourceEventToCoordinator(
                        new ChunkEmitted(emitted.splitId(), chunk.rows()));
            } else {
                registry.remove(state.splitId());
                streamSplits.remove(state.splitId());
            }
        }
    }
}
