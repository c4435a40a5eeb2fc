package io.pgwalstream.flink.table;

import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.replication.PublicationInfo;
import io.pgwalstream.replication.PublicationManager;
import io.pgwalstream.replication.PublicationOperation;
import io.pgwalstream.replication.SqlIdentifier;
import io.pgwalstream.replication.TableName;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks at planning time that each slot group's publication exists and publishes its tables and
 * the row operations, so a missing publication is reported with the DDL that fixes it before a job
 * is submitted. With {@code publication.auto-create} the source creates it or adds tables, but
 * never changes what an existing publication publishes: insert, update and delete are required
 * either way, since both changelog modes (upsert on the PRIMARY KEY, and all row kinds) turn
 * updates and deletes into rows and would silently keep rows PostgreSQL changed or deleted without
 * them.
 */
@Internal
final class PublicationCheck {

    private static final Set<PublicationOperation> ROW_OPERATIONS =
            EnumSet.of(
                    PublicationOperation.INSERT,
                    PublicationOperation.UPDATE,
                    PublicationOperation.DELETE);

    private PublicationCheck() {}

    /**
     * @param partitioned the partitioned tables among the group's: their changes carry the root's
     *     name only when the publication publishes via the partition root
     */
    static void check(
            PublicationManager publications,
            SlotGroup group,
            Set<TableName> partitioned,
            boolean autoCreate) {
        Optional<PublicationInfo> found = publications.describe(group.publication());
        String name = SqlIdentifier.quote(group.publication());
        List<TableName> partitionedHere =
                group.tables().stream().filter(partitioned::contains).toList();
        if (found.isEmpty()) {
            if (!partitionedHere.isEmpty()) {
                throw new ValidationException(
                        "Partitioned table(s) "
                                + list(partitionedHere)
                                + " need a publication that publishes via the partition root,"
                                + " and publication "
                                + name
                                + " does not exist. Run CREATE PUBLICATION "
                                + name
                                + " FOR TABLE "
                                + list(group.tables())
                                + " WITH (publish_via_partition_root = true).");
            }
            if (autoCreate) {
                return;
            }
            throw new ValidationException(
                    "Publication "
                            + name
                            + " (option '"
                            + PgWalStreamOptions.PUBLICATION_NAME.key()
                            + "') does not exist. Create it before the changes it should carry"
                            + " are written: CREATE PUBLICATION "
                            + name
                            + " FOR TABLE "
                            + list(group.tables())
                            + "; or set '"
                            + PgWalStreamOptions.PUBLICATION_AUTO_CREATE.key()
                            + "' = 'true'.");
        }
        PublicationInfo info = found.get();
        List<TableName> missing = info.unpublished(group.tables());
        if (!missing.isEmpty() && !autoCreate) {
            throw new ValidationException(
                    "Publication "
                            + name
                            + " does not publish "
                            + list(missing)
                            + ". Run ALTER PUBLICATION "
                            + name
                            + " ADD TABLE "
                            + list(missing)
                            + "; or set '"
                            + PgWalStreamOptions.PUBLICATION_AUTO_CREATE.key()
                            + "' = 'true'.");
        }
        if (!partitionedHere.isEmpty() && !info.viaPartitionRoot()) {
            throw new ValidationException(
                    "Partitioned table(s) "
                            + list(partitionedHere)
                            + " are published by "
                            + name
                            + " under their partitions' names. Run ALTER PUBLICATION "
                            + name
                            + " SET (publish_via_partition_root = true).");
        }
        Set<PublicationOperation> absent = EnumSet.copyOf(ROW_OPERATIONS);
        absent.removeAll(info.operations());
        if (!absent.isEmpty()) {
            // SET (publish = …) replaces the list: keep what it publishes now (e.g. truncate).
            Set<PublicationOperation> wanted = EnumSet.copyOf(ROW_OPERATIONS);
            wanted.addAll(info.operations());
            throw new ValidationException(
                    "Publication "
                            + name
                            + " does not publish "
                            + operations(absent)
                            + ", so those changes of "
                            + list(group.tables())
                            + " would never reach the Flink table, which would silently keep"
                            + " rows PostgreSQL changed or deleted (upsert and all-row-kinds"
                            + " changelogs alike). Run ALTER"
                            + " PUBLICATION "
                            + name
                            + " SET (publish = '"
                            + operations(wanted)
                            + "'); or read the tables through a publication that publishes"
                            + " them.");
        }
    }

    private static String operations(Set<PublicationOperation> operations) {
        return operations.stream()
                .map(o -> o.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }

    private static String list(List<TableName> tables) {
        return tables.stream().map(TableName::quoted).collect(Collectors.joining(", "));
    }
}
