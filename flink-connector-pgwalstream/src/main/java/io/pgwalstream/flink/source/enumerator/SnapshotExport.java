package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.replication.CreatedSlot;
import io.pgwalstream.replication.PgSlotManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exported snapshot of a slot group's initial snapshot: a TEMPORARY slot whose creating
 * connection stays open and idle, so the snapshot lives until {@link #close()} — which ends the
 * connection, and with it the snapshot and the temporary slot.
 */
final class SnapshotExport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotExport.class);

    private final PgSlotManager connection;
    private final CreatedSlot slot;

    SnapshotExport(PgSlotManager connection, CreatedSlot slot) {
        this.connection = connection;
        this.slot = slot;
    }

    CreatedSlot slot() {
        return slot;
    }

    @Override
    public void close() {
        connection.close();
        LOG.info(
                "Released exported snapshot {} (temporary slot '{}')",
                slot.snapshotName(),
                slot.slotName());
    }
}
