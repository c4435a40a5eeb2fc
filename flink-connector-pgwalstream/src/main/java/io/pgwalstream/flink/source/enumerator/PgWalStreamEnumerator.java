package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.flink.source.PgWalStreamSourceConfig;
import io.pgwalstream.flink.source.event.ChunkEmitted;
import io.pgwalstream.flink.source.event.ChunkUnread;
import io.pgwalstream.flink.source.event.ChunksAcknowledged;
import io.pgwalstream.flink.source.split.PgWalStreamSourceSplit;
import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.flink.source.split.SnapshotChunkSplit;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives each slot group to exactly one reader. Groups are prepared on the server once (off the
 * coordinator thread), assigned by a stable hash of the slot name, given back to the pool when a
 * reader fails, and remembered as assigned in the checkpoint so a restore never starts them over.
 *
 * <p>With an initial snapshot, a group's chunks go out first, a few at a time to every reader, and
 * its stream split only once a completed checkpoint records every chunk as emitted ({@link
 * GroupSnapshot}); the stream then starts at the snapshot's LSN.
 */
@Internal
public final class PgWalStreamEnumerator
        implements SplitEnumerator<PgWalStreamSourceSplit, PgWalStreamEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(PgWalStreamEnumerator.class);

    /** Chunks a reader holds at once: one being read, one queued behind it. */
    private static final int CHUNKS_PER_READER = 2;

    private final PgWalStreamSourceConfig config;
    private final SplitEnumeratorContext<PgWalStreamSourceSplit> context;
    private final Set<String> assignedGroups;
    private final Map<String, PgWalStreamSplit> unassigned = new LinkedHashMap<>();
    private final Map<String, GroupSnapshot> snapshots = new LinkedHashMap<>();
    private final Set<Integer> noMoreSplitsSent = new HashSet<>();

    /** Groups whose replacement exported snapshot is being created. */
    private final Set<String> exporting = new HashSet<>();

    private final SnapshotProgress progress;
    private int startingSnapshots;
    private boolean prepared;

    /** Whether the job checkpoints at all: the coordinator was asked for a checkpoint. */
    private boolean checkpointing;

    /** When every chunk of some group was first seen reported without a checkpoint; 0 = not. */
    private long allReportedWithoutCheckpointSince;

    public PgWalStreamEnumerator(
            PgWalStreamSourceConfig config,
            SplitEnumeratorContext<PgWalStreamSourceSplit> context,
            PgWalStreamEnumState state) {
        this.config = config;
        this.context = context;
        this.assignedGroups = new HashSet<>(state.assignedGroups());
        state.unassigned().forEach(s -> unassigned.put(s.splitId(), s));
        for (GroupSnapshotState snapshot : state.snapshots()) {
            snapshots.put(snapshot.groupId(), GroupSnapshot.restored(snapshot));
        }
        this.progress = new SnapshotProgress(snapshots.values());
        progress.register(context.metricGroup());
    }

    /**
     * Without checkpointing no checkpoint ever records the chunks; the stream then starts a few
     * seconds after the last chunk was emitted, which is as exact as a job without checkpoints can
     * be (its rows have long reached downstream).
     */
    private static final long HAND_OVER_WITHOUT_CHECKPOINTS_MILLIS = 5_000;

    /** The pseudo checkpoint id that records the chunks when the job takes none. */
    private static final long NO_CHECKPOINT = Long.MAX_VALUE - 1;

    @Override
    public void start() {
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
        Set<String> known = new HashSet<>(assignedGroups);
        known.addAll(unassigned.keySet());
        known.addAll(snapshots.keySet());
        List<SlotGroup> listed = new ArrayList<>();
        for (SlotGroup group : config.groups()) {
            if (!known.contains(group.id())) {
                listed.add(group);
            }
        }
        if (listed.isEmpty() && !config.discovers()) {
            prepared = true;
            assignPending();
            return;
        }
        SlotGroupFinder finder =
                new SlotGroupFinder(
                        listed,
                        config.discovers()
                                ? new SlotGroupDiscovery(
                                        config.connection(), config.discoverySlotPrefix())
                                : null,
                        new SlotGroupPreparer(config),
                        known);
        if (config.discovers() && !config.bounded()) {
            // Unbounded: slots created later join the job.
            long period = config.discoveryInterval().toMillis();
            context.callAsync(finder::next, this::onPrepared, 0, period);
        } else {
            // Bounded reads what exists at the start, so the job can end.
            context.callAsync(finder::next, this::onPrepared);
        }
    }

    private void onPrepared(List<PgWalStreamSplit> splits, Throwable error) {
        if (error != null) {
            throw new IllegalStateException(
                    "Preparing the slot groups on "
                            + config.connection().describe()
                            + " failed: "
                            + error.getMessage(),
                    error);
        }
        if (!splits.isEmpty()) {
            LOG.info(
                    "New slot group(s) {}",
                    splits.stream().map(PgWalStreamSplit::splitId).toList());
        }
        if (config.startupMode().snapshots()) {
            SnapshotStarter starter = new SnapshotStarter(config);
            for (PgWalStreamSplit split : splits) {
                startingSnapshots++;
                context.callAsync(() -> starter.start(split), this::onSnapshotStarted);
            }
        } else {
            splits.forEach(s -> unassigned.put(s.splitId(), s));
        }
        prepared = true;
        assignPending();
    }

    private void onSnapshotStarted(GroupSnapshot snapshot, Throwable error) {
        startingSnapshots--;
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
        finishIfDone(snapshot); // a group whose tables are all empty still has one chunk each
        assignPending();
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
        SnapshotStarter starter = new SnapshotStarter(config);
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
                    assignPending();
                });
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Splits are pushed when readers register and as chunks are reported.
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (event instanceof ChunkUnread unread) {
            for (GroupSnapshot snapshot : snapshots.values()) {
                if (snapshot.contains(unread.splitId())) {
                    if (snapshot.unread(unread.splitId(), unread.snapshotName())) {
                        LOG.warn(
                                "The exported snapshot {} of slot group {} is gone: a new one"
                                        + " takes over the chunks still to read",
                                unread.snapshotName(),
                                snapshot.groupId());
                    }
                    if (snapshot.needsExport()) {
                        requestExport(snapshot);
                    }
                    break;
                }
            }
            assignPending();
            return;
        }
        if (!(event instanceof ChunkEmitted emitted)) {
            LOG.warn("Ignoring unknown event {} from reader {}", event, subtaskId);
            return;
        }
        GroupSnapshot owner = null;
        for (GroupSnapshot snapshot : snapshots.values()) {
            if (snapshot.contains(emitted.splitId())) {
                owner = snapshot;
                break;
            }
        }
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
        assignPending();
    }

    @Override
    public void addSplitsBack(List<PgWalStreamSourceSplit> splits, int subtaskId) {
        LOG.info("Reader {} failed; {} split(s) wait for reassignment", subtaskId, splits.size());
        for (GroupSnapshot snapshot : snapshots.values()) {
            snapshot.readerFailed(subtaskId);
        }
        for (PgWalStreamSourceSplit split : splits) {
            if (split instanceof PgWalStreamSplit stream) {
                unassigned.put(stream.splitId(), stream);
                assignedGroups.remove(stream.splitId());
            } else {
                SnapshotChunkSplit chunk = (SnapshotChunkSplit) split;
                GroupSnapshot snapshot = snapshots.get(chunk.groupId());
                if (snapshot != null) {
                    snapshot.returned(chunk.splitId());
                }
            }
        }
        noMoreSplitsSent.remove(subtaskId);
    }

    @Override
    public void addReader(int subtaskId) {
        assignPending();
    }

    private void assignPending() {
        if (!prepared) {
            return;
        }
        assignChunks();
        int parallelism = context.currentParallelism();
        Map<Integer, List<PgWalStreamSplit>> assignment = new LinkedHashMap<>();
        for (PgWalStreamSplit split : new ArrayList<>(unassigned.values())) {
            int owner = Math.floorMod(split.splitId().hashCode(), parallelism);
            if (context.registeredReaders().containsKey(owner)) {
                assignment.computeIfAbsent(owner, k -> new ArrayList<>()).add(split);
                unassigned.remove(split.splitId());
                assignedGroups.add(split.splitId());
            }
        }
        assignment.forEach(
                (reader, splits) -> {
                    LOG.info(
                            "Assigning slot group(s) {} to reader {}",
                            splits.stream().map(PgWalStreamSplit::splitId).toList(),
                            reader);
                    splits.forEach(s -> context.assignSplit(s, reader));
                });
        boolean chunksLeft = snapshots.values().stream().anyMatch(GroupSnapshot::hasPending);
        if (config.bounded() && unassigned.isEmpty() && !chunksLeft && startingSnapshots == 0) {
            // Bounded: every reader ends once its splits are done; tell each exactly once.
            for (int reader : context.registeredReaders().keySet()) {
                if (noMoreSplitsSent.add(reader)) {
                    context.signalNoMoreSplits(reader);
                }
            }
        }
    }

    /** Tops every reader up to {@link #CHUNKS_PER_READER} chunks, so fast readers take more. */
    private void assignChunks() {
        for (GroupSnapshot snapshot : snapshots.values()) {
            for (int reader : context.registeredReaders().keySet()) {
                if (noMoreSplitsSent.contains(reader)) {
                    continue; // bounded, and told it is done
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
        assignPending();
    }

    @Override
    public PgWalStreamEnumState snapshotState(long checkpointId) {
        checkpointing = true;
        List<GroupSnapshotState> inProgress = new ArrayList<>();
        for (GroupSnapshot snapshot : snapshots.values()) {
            inProgress.add(snapshot.checkpoint(checkpointId));
        }
        return new PgWalStreamEnumState(
                assignedGroups, new ArrayList<>(unassigned.values()), inProgress);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
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
        assignPending();
    }

    /** Every chunk is in a completed checkpoint: the exported snapshot goes, the stream starts. */
    private void finishIfDone(GroupSnapshot snapshot) {
        if (!snapshot.allDone()) {
            return;
        }
        snapshot.releaseExport();
        snapshots.remove(snapshot.groupId());
        progress.finished(snapshot);
        if (snapshot.stream() != null) {
            PgWalStreamSplit stream = snapshot.handOverStream();
            LOG.info(
                    "Initial snapshot of slot group {} done ({} chunks, {} rows); its stream starts"
                            + " at the snapshot's LSN {}{}",
                    snapshot.groupId(),
                    snapshot.total(),
                    snapshot.rows(),
                    stream.startLsn(),
                    stream.handOver().isEmpty()
                            ? ""
                            : ", dropping per key what "
                                    + stream.handOver().ranges().size()
                                    + " chunk(s) read under a later snapshot hold");
            unassigned.put(stream.splitId(), stream);
        } else {
            LOG.info(
                    "Initial snapshot of slot group {} done ({} chunks, {} rows)",
                    snapshot.groupId(),
                    snapshot.total(),
                    snapshot.rows());
            assignedGroups.add(snapshot.groupId());
        }
    }

    @Override
    public void close() {
        for (GroupSnapshot snapshot : snapshots.values()) {
            snapshot.releaseExport();
        }
    }
}
