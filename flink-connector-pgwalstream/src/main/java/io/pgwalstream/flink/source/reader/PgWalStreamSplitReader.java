package io.pgwalstream.flink.source.reader;

import io.pgwalstream.flink.source.PgWalStreamSourceConfig;
import io.pgwalstream.flink.source.split.PgWalStreamSourceSplit;
import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.flink.source.split.SnapshotChunkSplit;
import io.pgwalstream.replication.LsnFeedback;
import io.pgwalstream.snapshot.ChunkReader;
import io.pgwalstream.snapshot.SnapshotException;
import io.pgwalstream.snapshot.SnapshotRows;

import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs on the fetcher thread: one {@link SlotStream} per assigned stream split, read round robin,
 * and snapshot chunks one per fetch, each read whole with binary COPY. It never blocks a
 * replication I/O thread — each session buffers on its own and keeps its walsender alive while
 * Flink applies back-pressure here.
 */
final class PgWalStreamSplitReader implements SplitReader<FetchedRecord, PgWalStreamSourceSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(PgWalStreamSplitReader.class);
    private static final int RECORDS_PER_SPLIT_PER_FETCH = 4096;
    private static final Duration IDLE_WAIT = Duration.ofMillis(100);

    private final PgWalStreamSourceConfig config;
    private final SplitRegistry registry;
    private final RestoreCheck restoreCheck;
    private final PgWalStreamReaderMetrics metrics;
    private final Map<String, SlotStream> streams = new LinkedHashMap<>();
    private final Deque<SnapshotChunkSplit> chunks = new ArrayDeque<>();
    private final ChunkReader chunkReader;
    private volatile boolean wakeUp;

    PgWalStreamSplitReader(
            PgWalStreamSourceConfig config,
            SplitRegistry registry,
            RestoreCheck restoreCheck,
            PgWalStreamReaderMetrics metrics) {
        this.config = config;
        this.registry = registry;
        this.restoreCheck = restoreCheck;
        this.metrics = metrics;
        this.chunkReader = new ChunkReader(config.connection());
    }

    @Override
    public RecordsWithSplitIds<FetchedRecord> fetch() throws IOException {
        RecordsBySplits.Builder<FetchedRecord> batch = new RecordsBySplits.Builder<>();
        wakeUp = false;
        try {
            int fetched = 0;
            SnapshotChunkSplit chunk = chunks.poll();
            if (chunk != null) {
                batch.add(chunk.splitId(), readChunk(chunk));
                batch.addFinishedSplit(chunk.splitId());
                fetched++;
            }
            Duration wait = streams.size() <= 1 ? IDLE_WAIT : IDLE_WAIT.dividedBy(streams.size());
            List<String> finished = new ArrayList<>();
            for (SlotStream stream : streams.values()) {
                String id = stream.splitId();
                int n =
                        stream.fetch(
                                event -> batch.add(id, new FetchedRecord.StreamedChange(event)),
                                RECORDS_PER_SPLIT_PER_FETCH,
                                fetched > 0 || wakeUp ? Duration.ZERO : wait);
                if (n > 0) {
                    metrics.fetched(stream.lastFetchedCommitMillis());
                }
                fetched += n;
                if (stream.finished()) {
                    finished.add(id);
                }
            }
            for (String id : finished) {
                metrics.detach(id);
                streams.remove(id).close();
                batch.addFinishedSplit(id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while reading replication streams");
        }
        return batch.build();
    }

    private FetchedRecord readChunk(SnapshotChunkSplit chunk) {
        try {
            SnapshotRows rows =
                    chunkReader.read(chunk.table(), chunk.chunk(), chunk.snapshotName());
            return new FetchedRecord.ChunkRows(chunk, rows);
        } catch (SnapshotException e) {
            if (e.reason() != SnapshotException.Reason.SNAPSHOT_LOST) {
                throw e;
            }
            LOG.info(
                    "Chunk {} cannot be read: its exported snapshot {} is gone; the enumerator"
                            + " hands it out again under a new one",
                    chunk.splitId(),
                    chunk.snapshotName());
            return new FetchedRecord.ChunkUnread(chunk);
        }
    }

    @Override
    public void handleSplitsChanges(SplitsChange<PgWalStreamSourceSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException(
                    "Unsupported split change " + change.getClass().getSimpleName());
        }
        for (PgWalStreamSourceSplit added : change.splits()) {
            if (added instanceof SnapshotChunkSplit chunk) {
                chunks.add(chunk);
                continue;
            }
            PgWalStreamSplit split = (PgWalStreamSplit) added;
            if (split.restored()) {
                restoreCheck.verify(split);
            }
            LsnFeedback feedback =
                    split.restored() ? new LsnFeedback(split.confirmableLsn()) : new LsnFeedback();
            SplitRegistry.Shared shared = registry.register(split.splitId(), feedback);
            SlotStream stream = new SlotStream(split, config, shared.progress(), feedback);
            streams.put(split.splitId(), stream);
            metrics.attach(split.splitId(), split.group().slotName(), stream);
            LOG.info(
                    "Reading slot group {} (slot '{}', publication '{}'){}",
                    split.splitId(),
                    split.group().slotName(),
                    split.group().publication(),
                    split.restored()
                            ? " from "
                                    + split.resumeLsn()
                                    + " (checkpointed: last change "
                                    + split.lastEmitted()
                                    + ", confirmable "
                                    + split.confirmableLsn()
                                    + ")"
                            : split.startLsn().isValid()
                                    ? " from " + split.startLsn()
                                    : " from the slot's confirmed position");
        }
    }

    @Override
    public void wakeUp() {
        wakeUp = true;
    }

    @Override
    public void close() {
        for (SlotStream stream : streams.values()) {
            metrics.detach(stream.splitId());
            try {
                stream.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing split {} failed", stream.splitId(), e);
            }
        }
        streams.clear();
        chunkReader.close();
    }
}
