package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.flink.source.split.SnapshotChunkSplit;
import io.pgwalstream.protocol.Lsn;

import org.apache.flink.annotation.Internal;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A slot group's initial snapshot in the enumerator's checkpoint.
 *
 * @param group the slot group whose tables are snapshotted
 * @param stream the group's stream split, handed out once every chunk is done; null when the source
 *     only snapshots
 * @param startedMillis when the snapshot was exported (its age holds back vacuum)
 * @param snapshotName the exported snapshot chunks were last handed out under
 * @param snapshotLsn its consistent point
 * @param chunks every chunk of the snapshot, each with the snapshot it is (to be) read under
 * @param done ids of the chunks whose rows are in this checkpoint's output
 * @param assigned ids of the chunks a reader held at this checkpoint (it emitted them or will
 *     report them unread); the others are read again
 * @param chunkRows rows of the done chunks, by id, where known (a chunk emitted before a restore of
 *     a state without counts has none)
 */
@Internal
public record GroupSnapshotState(
        SlotGroup group,
        PgWalStreamSplit stream,
        String snapshotName,
        Lsn snapshotLsn,
        long startedMillis,
        List<SnapshotChunkSplit> chunks,
        Set<String> done,
        Set<String> assigned,
        Map<String, Long> chunkRows) {

    public String groupId() {
        return group.id();
    }

    public GroupSnapshotState {
        Objects.requireNonNull(group, "group");
        chunks = List.copyOf(chunks);
        done = Set.copyOf(done);
        assigned = Set.copyOf(assigned);
        chunkRows = Map.copyOf(chunkRows);
    }
}
