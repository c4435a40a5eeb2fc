package io.pgwalstream.flink.table;

import io.pgwalstream.flink.source.split.SlotGroup;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * What planning found on the server: the slot groups to read (each a slot, its publication and its
 * share of the matched tables) and the changelog mode the tables support.
 */
@Internal
record PlannedTables(List<SlotGroup> groups, Set<Integer> relationOids, ResolvedChangelogMode mode)
        implements Serializable {

    PlannedTables {
        groups = List.copyOf(groups);
        relationOids = Set.copyOf(relationOids);
    }
}
