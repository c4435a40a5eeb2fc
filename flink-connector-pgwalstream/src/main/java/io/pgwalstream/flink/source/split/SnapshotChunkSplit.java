package io.pgwalstream.flink.source.split;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.snapshot.SnapshotChunk;
import io.pgwalstream.snapshot.SnapshotTable;

import org.apache.flink.annotation.Internal;

import java.util.Objects;

/**
 * One chunk of a slot group's initial snapshot, read under the group's exported snapshot.
 *
 * @param groupId the slot group whose stream takes over at {@code snapshotLsn}
 * @param snapshotName the exported snapshot the chunk is read under
 * @param snapshotLsn the consistent point of that snapshot: the chunk holds every commit before it
 * @param emitted whether the reader emitted the chunk's rows (they are in the checkpoint) and only
 *     waits for the enumerator to record that
 */
@Internal
public record SnapshotChunkSplit(
        String groupId,
        SnapshotTable table,
        SnapshotChunk chunk,
        String snapshotName,
        Lsn snapshotLsn,
        boolean emitted)
        implements PgWalStreamSourceSplit {

    public SnapshotChunkSplit {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(chunk, "chunk");
        Objects.requireNonNull(snapshotName, "snapshotName");
        Objects.requireNonNull(snapshotLsn, "snapshotLsn");
    }

    @Override
    public String splitId() {
        return groupId + '|' + chunk.id();
    }

    /** This chunk, to be read under another exported snapshot (the first one was lost). */
    public SnapshotChunkSplit under(String otherSnapshot, Lsn otherLsn) {
        return new SnapshotChunkSplit(groupId, table, chunk, otherSnapshot, otherLsn, false);
    }

    public SnapshotChunkSplit asEmitted() {
        return new SnapshotChunkSplit(groupId, table, chunk, snapshotName, snapshotLsn, true);
    }
}
