package io.pgwalstream.flink.source.split;

import io.pgwalstream.replication.SlotName;
import io.pgwalstream.replication.SqlIdentifier;
import io.pgwalstream.replication.TableName;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;
import java.util.List;

/**
 * One unit of parallelism: a replication slot, the publication it streams and the tables that
 * publication holds. PostgreSQL decodes each slot in its own walsender, so N groups are decoded in
 * parallel. Transactions stay atomic within a group, not across groups.
 */
@PublicEvolving
public record SlotGroup(String slotName, String publication, List<TableName> tables)
        implements Serializable {

    public SlotGroup {
        SlotName.validate(slotName);
        SqlIdentifier.validate(publication, "publication");
        tables = List.copyOf(tables);
    }

    /** The split id: slot names are unique per PostgreSQL cluster. */
    public String id() {
        return slotName;
    }
}
