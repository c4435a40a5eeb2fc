package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.flink.source.split.SnapshotChunkSplit;
import io.pgwalstream.protocol.Lsn;

import org.apache.flink.annotation.Internal;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A slot group's initial snapshot in the enumerator's checkpoint.
 *
 * @param stream the group's stream split, handed out once every chunk is done; null when the source
 *     only snapshots
 * @param startedMillis when the snapshot was exported (its age holds back vacuum)
 * @param chunks every chunk of the snapshot
 * @param done ids of the chunks whose rows are in this checkpoint's output
 */
@Internal
public record GroupSnapshotState(
        String groupId,
        PgWalStreamSplit stream,
        String snapshotName,
        Lsn snapshotLsn,
        long startedMillis,
        List<SnapshotChunkSplit> chunks,
        Set<String> done) {

    public GroupSnapshotState {
        Objects.requireNonNull(groupId, "groupId");
        chunks = List.copyOf(chunks);
        done = Set.copyOf(done);
    }
}
