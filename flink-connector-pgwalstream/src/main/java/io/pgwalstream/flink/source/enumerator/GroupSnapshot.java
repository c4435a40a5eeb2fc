package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.flink.source.split.SnapshotChunkSplit;
import io.pgwalstream.protocol.Lsn;

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
 */
final class GroupSnapshot {

    private enum Status {
        PENDING,
        ASSIGNED,
        REPORTED,
        DONE
    }

    private final String groupId;
    private final PgWalStreamSplit stream;
    private final String snapshotName;
    private final Lsn snapshotLsn;
    private final long startedMillis;
    private final Map<String, SnapshotChunkSplit> chunks = new LinkedHashMap<>();
    private final Map<String, Status> status = new HashMap<>();
    private final Map<String, Integer> owner = new HashMap<>();

    /** Per checkpoint: the chunks REPORTED when its enumerator state was taken. */
    private final SortedMap<Long, Set<String>> reportedAtCheckpoint = new TreeMap<>();

    private SnapshotExport export;
    private long rows;

    private GroupSnapshot(
            String groupId,
            PgWalStreamSplit stream,
            String snapshotName,
            Lsn snapshotLsn,
            long startedMillis,
            List<SnapshotChunkSplit> chunks,
            SnapshotExport export) {
        this.groupId = groupId;
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

    static GroupSnapshot started(
            String groupId,
            PgWalStreamSplit stream,
            String snapshotName,
            Lsn snapshotLsn,
            long startedMillis,
            List<SnapshotChunkSplit> chunks,
            SnapshotExport export) {
        return new GroupSnapshot(
                groupId, stream, snapshotName, snapshotLsn, startedMillis, chunks, export);
    }

    /**
     * From a checkpoint: the exported snapshot did not survive, and chunks not done there may be on
     * readers (they report them again) or nowhere; which, only the readers can tell.
     */
    static GroupSnapshot restored(GroupSnapshotState state) {
        GroupSnapshot snapshot =
                new GroupSnapshot(
                        state.groupId(),
                        state.stream(),
                        state.snapshotName(),
                        state.snapshotLsn(),
                        state.startedMillis(),
                        state.chunks(),
                        null);
        for (String id : state.done()) {
            snapshot.status.put(id, Status.DONE);
        }
        return snapshot;
    }

    String groupId() {
        return groupId;
    }

    /** The group's stream split, to hand out once {@link #allDone()}; null when snapshot-only. */
    PgWalStreamSplit stream() {
        return stream;
    }

    Lsn snapshotLsn() {
        return snapshotLsn;
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

    SnapshotChunkSplit nextPending() {
        for (SnapshotChunkSplit chunk : chunks.values()) {
            if (status.get(chunk.splitId()) == Status.PENDING) {
                return chunk;
            }
        }
        return null;
    }

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
        if (chunkRows > 0) {
            rows += chunkRows;
        }
        return true;
    }

    /** A failed reader gave the chunk back: it is read again. */
    void returned(String splitId) {
        if (status.get(splitId) != Status.DONE) {
            status.put(splitId, Status.PENDING);
            owner.remove(splitId);
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
                reportedAtCheckpoint.values().forEach(ids -> ids.remove(e.getKey()));
            }
        }
    }

    /** The state for checkpoint {@code checkpointId}; reported chunks are written as done. */
    GroupSnapshotState checkpoint(long checkpointId) {
        Set<String> reported = new HashSet<>();
        Set<String> done = new HashSet<>();
        status.forEach(
                (id, s) -> {
                    if (s == Status.REPORTED) {
                        reported.add(id);
                        done.add(id);
                    } else if (s == Status.DONE) {
                        done.add(id);
                    }
                });
        reportedAtCheckpoint.put(checkpointId, reported);
        return new GroupSnapshotState(
                groupId,
                stream,
                snapshotName,
                snapshotLsn,
                startedMillis,
                new ArrayList<>(chunks.values()),
                done);
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

    long rows() {
        return rows;
    }

    /** Ends the exported snapshot (and its temporary slot); idempotent. */
    void releaseExport() {
        if (export != null) {
            export.close();
            export = null;
        }
    }
}
