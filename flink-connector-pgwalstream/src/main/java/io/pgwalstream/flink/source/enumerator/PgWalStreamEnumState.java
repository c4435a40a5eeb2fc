package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.flink.source.split.PgWalStreamSplit;

import org.apache.flink.annotation.Internal;

import java.util.List;
import java.util.Set;

/**
 * The enumerator's checkpoint.
 *
 * @param assignedGroups slot groups whose split was handed to a reader: their progress lives in
 *     reader state from then on, so they are never created again from scratch
 * @param unassigned stream splits prepared (or given back by a failed reader) but not yet assigned
 * @param snapshots initial snapshots in progress; their groups' stream splits are held in them
 */
@Internal
public record PgWalStreamEnumState(
        Set<String> assignedGroups,
        List<PgWalStreamSplit> unassigned,
        List<GroupSnapshotState> snapshots) {

    public PgWalStreamEnumState {
        assignedGroups = Set.copyOf(assignedGroups);
        unassigned = List.copyOf(unassigned);
        snapshots = List.copyOf(snapshots);
    }

    public PgWalStreamEnumState(Set<String> assignedGroups, List<PgWalStreamSplit> unassigned) {
        this(assignedGroups, unassigned, List.of());
    }

    public static PgWalStreamEnumState empty() {
        return new PgWalStreamEnumState(Set.of(), List.of(), List.of());
    }
}
