package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.flink.source.split.SnapshotChunkSplit;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.snapshot.HandOverFilter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where one slot group's initial snapshot stands on the enumerator. A chunk goes PENDING → ASSIGNED
 * → REPORTED (its reader emitted it) → DONE, and DONE only through a completed checkpoint whose
 * enumerator state was taken after the report: from then on every restore has the chunk's rows, so
 * its reader may forget it — and, as the rows precede that checkpoint's barrier on every channel,
 * the stream handed out after it follows them downstream.
 *
 * <p>When the exported snapshot is lost (the enumerator was restored, or the exporting connection
 * broke), chunks not yet emitted are handed out again under a new one, each chunk keeping the LSN
 * of the snapshot it was read under; the stream then starts at the earliest and drops, per key,
 * what a chunk read later already holds ({@link HandOverFilter}).
 */
final class GroupSnapshot {

    private enum Status {
        PENDING,
        ASSIGNED,
        REPORTED,
        DONE
    }

    private final SlotGroup group;
    private final PgWalStreamSplit stream;
    private final long startedMillis;
    private final Map<String, SnapshotChunkSplit> chunks = new LinkedHashMap<>();
    private final Map<String, Status> status = new HashMap<>();
    private final Map<String, Integer> owner = new HashMap<>();

    /** Per checkpoint: the chunks REPORTED when its enumerator state was taken. */
    private final SortedMap<Long, Set<String>> reportedAtCheckpoint = new TreeMap<>();

    /** The snapshot pending chunks are handed out under, while {@link #export} lives. */
    private String snapshotName;

    private Lsn snapshotLsn;
    private SnapshotExport export;

    /** Rows of the chunks reported emitted (a report undone by a failure takes its rows back). */
    private final Map<String, Long> reportedRows = new HashMap<>();

    private GroupSnapshot(
            SlotGroup group,
            PgWalStreamSplit stream,
            String snapshotName,
            Lsn snapshotLsn,
            long startedMillis,
            List<SnapshotChunkSplit> chunks,
            SnapshotExport export) {
        this.group = group;
        this.stream = stream;
        this.snapshotName = snapshotName;
        this.snapshotLsn = snapshotLsn;
        this.startedMillis = startedMillis;
        this.export = export;
        for (SnapshotChunkSplit chunk : chunks) {
            this.chunks.put(chunk.splitId(), chunk);
            status.put(chunk.splitId(), Status.PENDING);
        }
    }

    /**
     * @param stream the group's stream split, handed out once every chunk is done; null when the
     *     source only snapshots
     */
    static GroupSnapshot started(
            SlotGroup group,
            PgWalStreamSplit stream,
            long startedMillis,
            List<SnapshotChunkSplit> chunks,
            SnapshotExport export) {
        return new GroupSnapshot(
                group,
                stream,
                export.slot().snapshotName(),
                export.slot().consistentPoint(),
                startedMillis,
                chunks,
                export);
    }

    /**
     * From a checkpoint: the exported snapshot did not survive. Chunks a reader held are restored
     * with it (it reports them emitted or unread); the others wait for a new snapshot.
     */
    static GroupSnapshot restored(GroupSnapshotState state) {
        GroupSnapshot snapshot =
                new GroupSnapshot(
                        state.group(),
                        state.stream(),
                        state.snapshotName(),
                        state.snapshotLsn(),
                        state.startedMillis(),
                        state.chunks(),
                        null);
        for (String id : state.assigned()) {
            snapshot.status.put(id, Status.ASSIGNED);
        }
        for (String id : state.done()) {
            snapshot.status.put(id, Status.DONE);
            Long rows = state.chunkRows().get(id);
            if (rows != null) {
                snapshot.reportedRows.put(id, rows);
            }
        }
        return snapshot;
    }

    String groupId() {
        return group.id();
    }

    SlotGroup group() {
        return group;
    }

    /** The group's stream split, to hand out once {@link #allDone()}; null when snapshot-only. */
    PgWalStreamSplit stream() {
        return stream;
    }

    String snapshotName() {
        return snapshotName;
    }

    long startedMillis() {
        return startedMillis;
    }

    boolean exportAlive() {
        return export != null;
    }

    /** Whether chunks wait for an exported snapshot that does not exist (any more). */
    boolean needsExport() {
        return export == null && status.containsValue(Status.PENDING);
    }

    /**
     * The tables whose chunks still to read cannot be read under a new snapshot and still hand over
     * exactly: their keys must be placeable in Java (see {@link HandOverFilter}).
     */
    List<String> keysThatCannotResume() {
        List<String> problems = new ArrayList<>();
        // Ids are the map's keys: a split's id is built anew on each call.
        for (Map.Entry<String, SnapshotChunkSplit> e : chunks.entrySet()) {
            SnapshotChunkSplit chunk = e.getValue();
            Status s = status.get(e.getKey());
            boolean emitted = s == Status.DONE || s == Status.REPORTED;
            if (!emitted && !chunk.table().chunkKey().orderedLikePostgres()) {
                String problem =
                        chunk.table().name()
                                + (chunk.table().chunkKey().isPhysical()
                                        ? " (no key: read in block ranges)"
                                        : " (chunk key "
                                                + chunk.table().chunkKey().column()
                                                + " of type "
                                                + chunk.table().chunkKey().sqlType()
                                                + ")");
                if (!problems.contains(problem)) {
                    problems.add(problem);
                }
            }
        }
        return problems;
    }

    /** Pending chunks are handed out under {@code newExport} from now on. */
    void resumeUnder(SnapshotExport newExport) {
        releaseExport();
        this.export = newExport;
        this.snapshotName = newExport.slot().snapshotName();
        this.snapshotLsn = newExport.slot().consistentPoint();
    }

    /** The next pending chunk, under the live exported snapshot; null if none or none is live. */
    SnapshotChunkSplit nextPending() {
        if (export == null) {
            return null;
        }
        for (Map.Entry<String, SnapshotChunkSplit> e : chunks.entrySet()) {
            if (status.get(e.getKey()) == Status.PENDING) {
                SnapshotChunkSplit current = e.getValue().under(snapshotName, snapshotLsn);
                e.setValue(current);
                return current;
            }
        }
        return null;
    }

    /** Whether chunks wait to be handed out (also while a new snapshot is being exported). */
    boolean hasPending() {
        return status.containsValue(Status.PENDING);
    }

    void assigned(String splitId, int reader) {
        status.put(splitId, Status.ASSIGNED);
        owner.put(splitId, reader);
    }

    /** Chunks assigned to {@code reader} and not yet reported. */
    int outstanding(int reader) {
        int n = 0;
        for (Map.Entry<String, Integer> e : owner.entrySet()) {
            if (e.getValue() == reader && status.get(e.getKey()) == Status.ASSIGNED) {
                n++;
            }
        }
        return n;
    }

    boolean contains(String splitId) {
        return chunks.containsKey(splitId);
    }

    /** Whether a completed checkpoint records the chunk as emitted. */
    boolean isDone(String splitId) {
        return status.get(splitId) == Status.DONE;
    }

    /**
     * @return whether this is the first report of the chunk
     */
    boolean reported(String splitId, int reader, long chunkRows) {
        Status now = status.get(splitId);
        if (now == Status.REPORTED || now == Status.DONE) {
            return false;
        }
        status.put(splitId, Status.REPORTED);
        owner.put(splitId, reader);
        if (chunkRows >= 0) {
            reportedRows.put(splitId, chunkRows);
        }
        return true;
    }

    /**
     * A reader could not read the chunk: its snapshot is gone. It is read again.
     *
     * @return whether the live export is the one that is gone (then a new one is needed)
     */
    boolean unread(String splitId, String lostSnapshot) {
        if (status.get(splitId) == Status.ASSIGNED) {
            status.put(splitId, Status.PENDING);
            owner.remove(splitId);
        }
        if (export != null && export.slot().snapshotName().equals(lostSnapshot)) {
            releaseExport();
            return true;
        }
        return false;
    }

    /** A failed reader gave the chunk back: it is read again. */
    void returned(String splitId) {
        if (status.get(splitId) != Status.DONE) {
            status.put(splitId, Status.PENDING);
            owner.remove(splitId);
            reportedRows.remove(splitId);
            reportedAtCheckpoint.values().forEach(ids -> ids.remove(splitId));
        }
    }

    /**
     * A reader failed: its reports since the last completed checkpoint may be of rows that were
     * rolled back. It reports again what its restored state holds as emitted.
     */
    void readerFailed(int reader) {
        for (Map.Entry<String, Integer> e : owner.entrySet()) {
            if (e.getValue() == reader && status.get(e.getKey()) == Status.REPORTED) {
                status.put(e.getKey(), Status.ASSIGNED);
                reportedRows.remove(e.getKey());
                reportedAtCheckpoint.values().forEach(ids -> ids.remove(e.getKey()));
            }
        }
    }

    /** The state for checkpoint {@code checkpointId}; reported chunks are written as done. */
    GroupSnapshotState checkpoint(long checkpointId) {
        Set<String> reported = new HashSet<>();
        Set<String> done = new HashSet<>();
        Set<String> assigned = new HashSet<>();
        status.forEach(
                (id, s) -> {
                    switch (s) {
                        case REPORTED -> {
                            reported.add(id);
                            done.add(id);
                        }
                        case DONE -> done.add(id);
                        case ASSIGNED -> assigned.add(id);
                        default -> {}
                    }
                });
        reportedAtCheckpoint.put(checkpointId, reported);
        Map<String, Long> rows = new HashMap<>(reportedRows);
        rows.keySet().retainAll(done);
        return new GroupSnapshotState(
                group,
                stream,
                snapshotName,
                snapshotLsn,
                startedMillis,
                new ArrayList<>(chunks.values()),
                done,
                assigned,
                rows);
    }

    /**
     * @return the chunks that became done, by the reader to acknowledge them to
     */
    Map<Integer, List<String>> checkpointCompleted(long checkpointId) {
        SortedMap<Long, Set<String>> covered = reportedAtCheckpoint.headMap(checkpointId + 1);
        Map<Integer, List<String>> acks = new HashMap<>();
        for (Set<String> ids : covered.values()) {
            for (String id : ids) {
                if (status.get(id) == Status.REPORTED) {
                    status.put(id, Status.DONE);
                    acks.computeIfAbsent(owner.get(id), k -> new ArrayList<>()).add(id);
                }
            }
        }
        covered.clear();
        return acks;
    }

    /** The stream split starting at the earliest chunk's LSN, with what later chunks hold back. */
    PgWalStreamSplit handOverStream() {
        // A group without tables has no chunks: its stream starts where the snapshot was taken.
        long start = snapshotLsn.value();
        for (SnapshotChunkSplit chunk : chunks.values()) {
            long lsn = chunk.snapshotLsn().value();
            if (Long.compareUnsigned(lsn, start) < 0) {
                start = lsn;
            }
        }
        List<HandOverFilter.Range> later = new ArrayList<>();
        for (SnapshotChunkSplit chunk : chunks.values()) {
            if (chunk.snapshotLsn().value() != start) {
                later.add(
                        new HandOverFilter.Range(
                                chunk.table().relationOid(),
                                chunk.table().chunkKey(),
                                chunk.chunk().lower(),
                                chunk.chunk().upper(),
                                chunk.snapshotLsn().value()));
            }
        }
        return stream.afterSnapshot(Lsn.of(start), new HandOverFilter(later));
    }

    boolean allReported() {
        return status.values().stream().allMatch(s -> s == Status.REPORTED || s == Status.DONE);
    }

    boolean allDone() {
        return status.values().stream().allMatch(s -> s == Status.DONE);
    }

    int total() {
        return chunks.size();
    }

    int done() {
        return (int) status.values().stream().filter(s -> s == Status.DONE).count();
    }

    int emitted() {
        return (int)
                status.values().stream()
                        .filter(s -> s == Status.DONE || s == Status.REPORTED)
                        .count();
    }

    /**
     * Rows of the chunks emitted, as the readers reported them and checkpoints kept them; a chunk a
     * restored reader re-reports (it emitted the chunk after this enumerator's last checkpoint) is
     * not counted, as the reader no longer knows its rows.
     */
    long rows() {
        long n = 0;
        for (long r : reportedRows.values()) {
            n += r;
        }
        return n;
    }

    /**
     * Chunks and rows per table ({@code schema.table}, unquoted), in the order of the tables' first
     * chunks.
     */
    Map<String, TableSnapshotProgress> tables() {
        Map<String, TableSnapshotProgress> tables = new LinkedHashMap<>();
        for (Map.Entry<String, SnapshotChunkSplit> e : chunks.entrySet()) {
            SnapshotChunkSplit chunk = e.getValue();
            Status s = status.get(e.getKey());
            boolean emitted = s == Status.DONE || s == Status.REPORTED;
            TableSnapshotProgress one =
                    new TableSnapshotProgress(
                            1,
                            emitted ? 1 : 0,
                            emitted ? reportedRows.getOrDefault(e.getKey(), 0L) : 0);
            TableName name = chunk.table().name();
            tables.merge(name.schema() + "." + name.table(), one, TableSnapshotProgress::plus);
        }
        return tables;
    }

    /** Ends the exported snapshot (and its temporary slot); idempotent. */
    void releaseExport() {
        if (export != null) {
            export.close();
            export = null;
        }
    }
}
