package io.pgwalstream.flink.source.reader;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.RelationSchema;
import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.replication.TableName;

import java.util.List;

/**
 * The tables a slot group lists. A publication may hold more tables than the group asks for (it is
 * shared, or was made for another job); their changes are decoded by the server anyway and dropped
 * here. A group that lists no tables takes all of its publication's.
 */
final class GroupTables {

    private final List<TableName> listed;

    // Most events are of the table the previous one was of: its answer is kept.
    private RelationSchema lastRelation;
    private boolean lastListed;

    GroupTables(SlotGroup group) {
        this.listed = group.tables();
    }

    /** {@code event} as far as it concerns the listed tables; null when not at all. */
    ChangeEvent select(ChangeEvent event) {
        if (listed.isEmpty()) {
            return event;
        }
        switch (event.kind()) {
            case TRUNCATE:
                return event.truncatingOnly(this::listed);
            case MESSAGE:
                return event;
            default:
                return listed(event.relation()) ? event : null;
        }
    }

    private boolean listed(RelationSchema relation) {
        if (relation != lastRelation) {
            lastListed = false;
            for (TableName table : listed) {
                if (table.table().equals(relation.tableName())
                        && table.schema().equals(relation.schemaName())) {
                    lastListed = true;
                    break;
                }
            }
            lastRelation = relation;
        }
        return lastListed;
    }
}
