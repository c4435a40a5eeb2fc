package io.pgwalstream.flink.table;

import io.pgwalstream.flink.rowdata.ResolvedChangelogMode;
import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.types.PgUserType;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * What planning found on the server: the slot groups to read (each a slot, its publication and its
 * share of the matched tables), the changelog mode the tables support, and the database's user
 * types, which the readers need for binary values of enums, composites and ranges, and the catalog
 * facts of the tables (the unchanged-TOAST lookup reads by them), and what happens to values an
 * UPDATE leaves out.
 */
@Internal
record PlannedTables(
        List<SlotGroup> groups,
        Set<Integer> relationOids,
        ResolvedChangelogMode mode,
        List<PgUserType> userTypes,
        List<PgTableFacts> tables,
        UnchangedToastChoice toast)
        implements Serializable {

    PlannedTables {
        groups = List.copyOf(groups);
        relationOids = Set.copyOf(relationOids);
        userTypes = List.copyOf(userTypes);
        tables = List.copyOf(tables);
    }
}
