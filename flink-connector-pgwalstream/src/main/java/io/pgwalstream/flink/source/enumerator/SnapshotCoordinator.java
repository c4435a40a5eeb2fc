package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.flink.source.PgWalStreamSourceConfig;
import io.pgwalstream.flink.source.event.ChunkEmitted;
import io.pgwalstream.flink.source.event.ChunkUnread;
import io.pgwalstream.flink.source.event.ChunksAcknowledged;
import io.pgwalstream.flink.source.split.PgWalStreamSourceSplit;
import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.flink.source.split.SnapshotChunkSplit;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The enumerator's half that runs initial snapshots: it takes each new group's snapshot, hands its
 * chunks to every reader, records their reports through checkpoints ({@link GroupSnapshot}),
 * replaces a lost exported snapshot, and gives the group's stream split back to the enumerator once
 * every chunk is done. Runs on the coordinator thread, like the enumerator.
 */
final class SnapshotCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCoordinator.class);

    /**
     * Chunks a reader holds at once. A chunk is topped up only after its report has come back to
     * the coordinator; with two, the reader's fetcher waited out that round trip after every chunk
     * (the 2M-row benchmark read 1.3-1.5x faster with four). Unread chunks cost the reader nothing
     * but their split.
     */
    private static final int CHUNKS_PER_READER = 4;

    /**
     * Without checkpointing no checkpoint ever records the chunks; the stream then starts a few
     * seconds after the last chunk was emitted, which is as exact as a job without checkpoints can
     * be (its rows have long reached downstream).
     */
    private static final long HAND_OVER_WITHOUT_CHECKPOINTS_MILLIS = 5_000;

    /** The pseudo checkpoint id that records the chunks when the job takes none. */
    private static final long NO_CHECKPOINT = Long.MAX_VALUE - 1;

    private final PgWalStreamSourceConfig config;
    private final SplitEnumeratorContext<PgWalStreamSourceSplit> context;
    private final SnapshotStarter starter;
    private final Map<String, GroupSnapshot> snapshots = new LinkedHashMap<>();

    /** Groups whose replacement exported snapshot is being created. */
    private final Set<String> exporting = new HashSet<>();

    private final SnapshotProgress progress;
    private final Consumer<PgWalStreamSplit> streamReady;
    private final Consumer<String> snapshotOnlyDone;
    private final Runnable changed;
    private int starting;

    /** Whether the job checkpoints at all: the coordinator was asked for a checkpoint. */
    private boolean checkpointing;

    /** When every chunk of some group was first seen reported without a checkpoint; 0 = not. */
    private long allReportedWithoutCheckpointSince;

    /**
     * @param streamReady takes a group's stream split once its snapshot is done
     * @param snapshotOnlyDone takes the id of a snapshot-only group once its snapshot is done
     * @param changed called after anything that may let splits go out
     */
    SnapshotCoordinator(
            PgWalStreamSourceConfig config,
            SplitEnumeratorContext<PgWalStreamSourceSplit> context,
            Collection<GroupSnapshotState> restored,
            Consumer<PgWalStreamSplit> streamReady,
            Consumer<String> snapshotOnlyDone,
            Runnable changed) {
        this.config = config;
        this.context = context;
        this.starter = new SnapshotStarter(config);
        this.streamReady = streamReady;
        this.snapshotOnlyDone = snapshotOnlyDone;
        this.changed = changed;
        for (GroupSnapshotState snapshot : restored) {
            snapshots.put(snapshot.groupId(), GroupSnapshot.restored(snapshot));
        }
        this.progress = new SnapshotProgress(snapshots.values());
        progress.register(context.metricGroup(), config.snapshot().tableMetrics());
    }

    /** Groups whose snapshot is in progress. */
    Set<String> groups() {
        return snapshots.keySet();
    }

    /** Resumes restored snapshots (their exported snapshots ended with the previous run). */
    void start() {
        if (config.startupMode().snapshots()) {
            context.callAsync(
                    () -> null, (ignored, error) -> handOverWithoutCheckpoints(), 1000, 1000);
        }
        for (GroupSnapshot snapshot : snapshots.values()) {
            if (snapshot.needsExport()) {
                LOG.info(
                        "Resuming the initial snapshot of slot group {} ({} of {} chunks done):"
                                + " its exported snapshot {} ended with the previous run",
                        snapshot.groupId(),
                        snapshot.done(),
                        snapshot.total(),
                        snapshot.snapshotName());
                requestExport(snapshot);
            }
        }
        new ArrayList<>(snapshots.values()).forEach(this::finishIfDone);
    }

    /** Takes the initial snapshot of new groups, off the coordinator thread. */
    void begin(List<PgWalStreamSplit> streams) {
        for (PgWalStreamSplit stream : streams) {
            starting++;
            context.callAsync(() -> starter.start(stream), this::onStarted);
        }
    }

    /** Whether chunks are still to be handed out (or snapshots to be taken). */
    boolean busy() {
        return starting > 0 || snapshots.values().stream().anyMatch(GroupSnapshot::hasPending);
    }

    private void onStarted(GroupSnapshot snapshot, Throwable error) {
        starting--;
        if (error != null) {
            throw new IllegalStateException(
                    "Starting the initial snapshot on "
                            + config.connection().describe()
                            + " failed: "
                            + error.getMessage(),
                    error);
        }
        snapshots.put(snapshot.groupId(), snapshot);
        progress.add(snapshot);
        finishIfDone(snapshot);
        changed.run();
    }

    /**
     * Replaces a lost exported snapshot. Chunks read under the new one hold more commits than the
     * stream will start with; the stream drops those per key, which needs keys Java can place.
     */
    private void requestExport(GroupSnapshot snapshot) {
        List<String> problems = snapshot.keysThatCannotResume();
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "The exported snapshot of slot group "
                            + snapshot.groupId()
                            + "'s initial snapshot is gone (a restart, or its connection broke)"
                            + " with chunks still to read, and they cannot be read under a new"
                            + " one without a duplicate or a lost change: "
                            + problems
                            + ". Chunks of integer, uuid or C-collated text keys can; choose such"
                            + " a chunk key column (scan.incremental.snapshot.chunk.key-column),"
                            + " or start the job again without state (drop the slot first).");
        }
        if (!exporting.add(snapshot.groupId())) {
            return;
        }
        SlotGroup group = snapshot.group();
        context.callAsync(
                () -> starter.export(group),
                (export, error) -> {
                    exporting.remove(snapshot.groupId());
                    if (error != null) {
                        throw new IllegalStateException(
                                "Exporting a new snapshot for slot group "
                                        + snapshot.groupId()
                                        + " failed: "
                                        + error.getMessage(),
                                error);
                    }
                    if (snapshots.get(snapshot.groupId()) != snapshot) {
                        export.close(); // finished meanwhile
                        return;
                    }
                    snapshot.resumeUnder(export);
                    progress.changed(snapshot);
                    changed.run();
                });
    }

    /** A reader's report of a chunk emitted or unreadable. */
    void handle(int subtaskId, SourceEvent event) {
        if (event instanceof ChunkUnread unread) {
            GroupSnapshot snapshot = owner(unread.splitId());
            if (snapshot != null) {
                if (snapshot.unread(unread.splitId(), unread.snapshotName())) {
                    LOG.warn(
                            "The exported snapshot {} of slot group {} is gone: a new one takes"
                                    + " over the chunks still to read",
                            unread.snapshotName(),
                            snapshot.groupId());
                }
                if (snapshot.needsExport()) {
                    requestExport(snapshot);
                }
            }
        } else if (event instanceof ChunkEmitted emitted) {
            emitted(subtaskId, emitted);
        } else {
            LOG.warn("Ignoring unknown event {} from reader {}", event, subtaskId);
        }
        changed.run();
    }

    private void emitted(int subtaskId, ChunkEmitted emitted) {
        GroupSnapshot owner = owner(emitted.splitId());
        if (owner == null || owner.isDone(emitted.splitId())) {
            // Re-reported from restored state after a checkpoint already recorded it (its group
            // may be finished): the reader only needs the acknowledgement it missed.
            context.sendEventToSourceReader(
                    subtaskId, new ChunksAcknowledged(List.of(emitted.splitId())));
        } else if (owner.reported(emitted.splitId(), subtaskId, emitted.rows())) {
            progress.changed(owner);
            if (owner.allReported() && owner.stream() == null) {
                // Snapshot only: no stream waits for the chunks' checkpoint.
                owner.releaseExport();
                progress.changed(owner);
            }
        }
    }

    private GroupSnapshot owner(String splitId) {
        for (GroupSnapshot snapshot : snapshots.values()) {
            if (snapshot.contains(splitId)) {
                return snapshot;
            }
        }
        return null;
    }

    /**
     * A reader failed: its reports since the last completed checkpoint may be rolled back, and the
     * chunks it got since then come back.
     */
    void readerFailed(int subtaskId, List<SnapshotChunkSplit> returned) {
        for (GroupSnapshot snapshot : snapshots.values()) {
            snapshot.readerFailed(subtaskId);
        }
        for (SnapshotChunkSplit chunk : returned) {
            GroupSnapshot snapshot = snapshots.get(chunk.groupId());
            if (snapshot != null) {
                snapshot.returned(chunk.splitId());
            }
        }
    }

    /**
     * Tops every reader that reads chunks up to {@link #CHUNKS_PER_READER} chunks, so fast readers
     * take more.
     */
    void assignChunks(Collection<Integer> readers) {
        for (GroupSnapshot snapshot : snapshots.values()) {
            for (int reader : readers) {
                if (!config.snapshot().readsChunks(reader)) {
                    continue;
                }
                SnapshotChunkSplit chunk;
                while (outstanding(reader) < CHUNKS_PER_READER
                        && (chunk = snapshot.nextPending()) != null) {
                    snapshot.assigned(chunk.splitId(), reader);
                    context.assignSplit(chunk, reader);
                }
            }
        }
    }

    private int outstanding(int reader) {
        int n = 0;
        for (GroupSnapshot snapshot : snapshots.values()) {
            n += snapshot.outstanding(reader);
        }
        return n;
    }

    List<GroupSnapshotState> checkpoint(long checkpointId) {
        checkpointing = true;
        List<GroupSnapshotState> states = new ArrayList<>();
        for (GroupSnapshot snapshot : snapshots.values()) {
            states.add(snapshot.checkpoint(checkpointId));
        }
        return states;
    }

    void checkpointCompleted(long checkpointId) {
        for (GroupSnapshot snapshot : new ArrayList<>(snapshots.values())) {
            Map<Integer, List<String>> acks = snapshot.checkpointCompleted(checkpointId);
            acks.forEach(
                    (reader, ids) -> {
                        if (context.registeredReaders().containsKey(reader)) {
                            context.sendEventToSourceReader(reader, new ChunksAcknowledged(ids));
                        }
                    });
            progress.changed(snapshot);
            finishIfDone(snapshot);
        }
    }

    private void handOverWithoutCheckpoints() {
        if (checkpointing) {
            return;
        }
        boolean waiting = false;
        for (GroupSnapshot snapshot : snapshots.values()) {
            waiting |= snapshot.stream() != null && snapshot.allReported() && !snapshot.allDone();
        }
        long now = System.currentTimeMillis();
        if (!waiting) {
            allReportedWithoutCheckpointSince = 0;
            return;
        }
        if (allReportedWithoutCheckpointSince == 0) {
            allReportedWithoutCheckpointSince = now;
            return;
        }
        if (now - allReportedWithoutCheckpointSince < HAND_OVER_WITHOUT_CHECKPOINTS_MILLIS) {
            return;
        }
        LOG.warn(
                "No checkpoint was taken since the job started: the stream of the initial snapshot"
                        + " starts without one. Enable checkpointing for exactly-once.");
        for (GroupSnapshot snapshot : new ArrayList<>(snapshots.values())) {
            if (snapshot.stream() != null && snapshot.allReported()) {
                snapshot.checkpoint(NO_CHECKPOINT);
                snapshot.checkpointCompleted(NO_CHECKPOINT);
                finishIfDone(snapshot);
            }
        }
        changed.run();
    }

    /** Every chunk is in a completed checkpoint: the exported snapshot goes, the stream starts. */
    private void finishIfDone(GroupSnapshot snapshot) {
        if (!snapshot.allDone()) {
            return;
        }
        snapshot.releaseExport();
        snapshots.remove(snapshot.groupId());
        progress.finished(snapshot);
        if (snapshot.stream() == null) {
            LOG.info(
                    "Initial snapshot of slot group {} done ({} chunks, {} rows)",
                    snapshot.groupId(),
                    snapshot.total(),
                    snapshot.rows());
            snapshotOnlyDone.accept(snapshot.groupId());
            return;
        }
        PgWalStreamSplit stream = snapshot.handOverStream();
        LOG.info(
                "Initial snapshot of slot group {} done ({} chunks, {} rows); its stream starts at"
                        + " the snapshot's LSN {}{}",
                snapshot.groupId(),
                snapshot.total(),
                snapshot.rows(),
                stream.startLsn(),
                stream.handOver().isEmpty()
                        ? ""
                        : ", dropping per key what "
                                + stream.handOver().ranges().size()
                                + " chunk(s) read under a later snapshot hold");
        streamReady.accept(stream);
    }

    @Override
    public void close() {
        for (GroupSnapshot snapshot : snapshots.values()) {
            snapshot.releaseExport();
        }
        starter.close();
    }
}
