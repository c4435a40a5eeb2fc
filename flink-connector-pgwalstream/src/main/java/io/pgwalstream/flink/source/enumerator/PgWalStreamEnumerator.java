package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.flink.source.PgWalStreamSourceConfig;
import io.pgwalstream.flink.source.event.StreamSplitsHeld;
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
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives each slot group to exactly one reader. Groups are prepared on the server once (off the
 * coordinator thread), assigned to the reader holding the fewest groups ({@link StreamSplitOwners}:
 * assignments wait until every reader has said which groups it restored), given back to the pool
 * when a reader fails, and remembered as assigned in the checkpoint so a restore never starts them
 * over.
 *
 * <p>With an initial snapshot, a group's chunks go out first, to every reader ({@link
 * SnapshotCoordinator}), and its stream split only once a completed checkpoint records every chunk
 * as emitted; the stream then starts at the snapshot's LSN.
 */
@Internal
public final class PgWalStreamEnumerator
        implements SplitEnumerator<PgWalStreamSourceSplit, PgWalStreamEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(PgWalStreamEnumerator.class);

    private final PgWalStreamSourceConfig config;
    private final SplitEnumeratorContext<PgWalStreamSourceSplit> context;
    private final Set<String> assignedGroups;
    private final Map<String, PgWalStreamSplit> unassigned = new LinkedHashMap<>();
    private final SnapshotCoordinator snapshots;
    private final Set<Integer> noMoreSplitsSent = new HashSet<>();
    private final StreamSplitOwners owners = new StreamSplitOwners();
    private boolean prepared;

    public PgWalStreamEnumerator(
            PgWalStreamSourceConfig config,
            SplitEnumeratorContext<PgWalStreamSourceSplit> context,
            PgWalStreamEnumState state) {
        this.config = config;
        this.context = context;
        this.assignedGroups = new HashSet<>(state.assignedGroups());
        state.unassigned().forEach(s -> unassigned.put(s.splitId(), s));
        this.snapshots =
                new SnapshotCoordinator(
                        config,
                        context,
                        state.snapshots(),
                        stream -> unassigned.put(stream.splitId(), stream),
                        assignedGroups::add,
                        this::assignPending);
    }

    @Override
    public void start() {
        snapshots.start();
        Set<String> known = new HashSet<>(assignedGroups);
        known.addAll(unassigned.keySet());
        known.addAll(snapshots.groups());
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
            snapshots.begin(splits);
        } else {
            splits.forEach(s -> unassigned.put(s.splitId(), s));
        }
        prepared = true;
        assignPending();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Splits are pushed when readers register and as chunks are reported.
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (event instanceof StreamSplitsHeld held) {
            owners.reported(subtaskId, held.splitIds());
            assignPending();
        } else {
            snapshots.handle(subtaskId, event);
        }
    }

    @Override
    public void addSplitsBack(List<PgWalStreamSourceSplit> splits, int subtaskId) {
        LOG.info("Reader {} failed; {} split(s) wait for reassignment", subtaskId, splits.size());
        List<SnapshotChunkSplit> chunks = new ArrayList<>();
        for (PgWalStreamSourceSplit split : splits) {
            if (split instanceof PgWalStreamSplit stream) {
                unassigned.put(stream.splitId(), stream);
                assignedGroups.remove(stream.splitId());
                owners.released(stream.splitId());
            } else {
                chunks.add((SnapshotChunkSplit) split);
            }
        }
        snapshots.readerFailed(subtaskId, chunks);
        owners.readerFailed(subtaskId);
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
        List<Integer> readers = new ArrayList<>(context.registeredReaders().keySet());
        readers.removeAll(noMoreSplitsSent); // bounded, and told they are done
        snapshots.assignChunks(readers);
        Map<Integer, List<PgWalStreamSplit>> assignment = new LinkedHashMap<>();
        Set<Integer> registered = context.registeredReaders().keySet();
        // Balance needs every reader's restored groups first; a reader that is down comes back.
        if (registered.size() == context.currentParallelism() && owners.allReported(registered)) {
            List<PgWalStreamSplit> pending = new ArrayList<>(unassigned.values());
            pending.sort(Comparator.comparing(PgWalStreamSplit::splitId));
            for (PgWalStreamSplit split : pending) {
                int owner = owners.leastLoaded(registered);
                owners.assigned(split.splitId(), owner);
                assignment.computeIfAbsent(owner, k -> new ArrayList<>()).add(split);
                unassigned.remove(split.splitId());
                assignedGroups.add(split.splitId());
            }
        }
        assignment.forEach(
                (reader, splits) -> {
                    LOG.info(
                            "Assigning slot group(s) {} to reader {} ({} in all)",
                            splits.stream().map(PgWalStreamSplit::splitId).toList(),
                            reader,
                            owners.load(reader));
                    splits.forEach(s -> context.assignSplit(s, reader));
                });
        if (config.bounded() && unassigned.isEmpty() && !snapshots.busy()) {
            // Bounded: every reader ends once its splits are done; tell each exactly once.
            for (int reader : context.registeredReaders().keySet()) {
                if (noMoreSplitsSent.add(reader)) {
                    context.signalNoMoreSplits(reader);
                }
            }
        }
    }

    @Override
    public PgWalStreamEnumState snapshotState(long checkpointId) {
        return new PgWalStreamEnumState(
                assignedGroups,
                new ArrayList<>(unassigned.values()),
                snapshots.checkpoint(checkpointId));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        snapshots.checkpointCompleted(checkpointId);
        assignPending();
    }

    @Override
    public void close() {
        snapshots.close();
    }
}
