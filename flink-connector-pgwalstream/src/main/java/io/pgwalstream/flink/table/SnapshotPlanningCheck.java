package io.pgwalstream.flink.table;

import io.pgwalstream.flink.source.StartupMode;
import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.replication.PgPublicationManager;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.snapshot.SnapshotCatalog;
import io.pgwalstream.snapshot.SnapshotException;
import io.pgwalstream.snapshot.SnapshotTable;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * For {@code scan.startup.mode} {@code initial} and {@code snapshot}: what would fail the snapshot
 * once the job runs, found when the query is planned — a chunk key column that cannot chunk a
 * table, a table the role may not read, a table whose later changes could not name their rows. The
 * same checks run again when the snapshot starts (the catalog may change in between).
 */
@Internal
final class SnapshotPlanningCheck {

    private SnapshotPlanningCheck() {}

    static void check(
            Connection connection,
            PgPublicationManager publications,
            SlotGroup group,
            PgWalStreamTableConfig config,
            String flinkTable)
            throws SQLException {
        StartupMode mode = config.startupMode().sourceMode();
        if (!mode.snapshots()) {
            return;
        }
        // A publication still to be created (publication.auto-create) publishes everything.
        String publication =
                publications.describe(group.publication()).isPresent() ? group.publication() : null;
        for (TableName name : group.tables()) {
            try {
                SnapshotTable table =
                        SnapshotCatalog.read(
                                connection, name, publication, config.snapshot().chunkKeyColumn());
                SnapshotCatalog.requireSelect(connection, table);
                if (mode == StartupMode.INITIAL) {
                    SnapshotCatalog.requireRowIdentity(connection, table, publication);
                }
            } catch (SnapshotException e) {
                throw new ValidationException(
                        "The initial snapshot of " + flinkTable + " cannot work: " + e.getMessage(),
                        e);
            }
        }
    }
}
