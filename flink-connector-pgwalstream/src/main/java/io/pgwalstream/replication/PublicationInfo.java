package io.pgwalstream.replication;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A publication as the catalog describes it.
 *
 * @param tables the tables it publishes, sorted: those {@code pg_publication_tables} lists, plus
 *     partitioned tables named in the publication or in one of its schemas (the view lists their
 *     partitions instead unless {@code viaPartitionRoot}); for {@code allTables} the tables that
 *     exist now
 * @param viaPartitionRoot {@code publish_via_partition_root}: partition changes are published as
 *     changes of the root table
 */
public record PublicationInfo(
        String name,
        boolean allTables,
        List<TableName> tables,
        Set<PublicationOperation> operations,
        boolean viaPartitionRoot) {

    public PublicationInfo {
        Objects.requireNonNull(name, "name");
        tables = List.copyOf(new TreeSet<>(tables));
        operations =
                Collections.unmodifiableSet(
                        operations.isEmpty()
                                ? EnumSet.noneOf(PublicationOperation.class)
                                : EnumSet.copyOf(operations));
    }

    /** Whether changes of {@code table} are published (always, for {@code FOR ALL TABLES}). */
    public boolean publishes(TableName table) {
        return allTables || tables.contains(table);
    }

    /** Those of {@code wanted} that this publication does not publish, in the given order. */
    public List<TableName> unpublished(Collection<TableName> wanted) {
        List<TableName> missing = new ArrayList<>();
        for (TableName table : wanted) {
            if (!publishes(table) && !missing.contains(table)) {
                missing.add(table);
            }
        }
        return missing;
    }

    public boolean publishes(PublicationOperation operation) {
        return operations.contains(operation);
    }
}
