package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.replication.CreatedSlot;
import io.pgwalstream.replication.PgSlotManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The exported snapshot of a slot group's initial snapshot: a TEMPORARY slot whose creating
 * connection stays open and idle, so the snapshot lives until {@link #close()} — which ends the
 * connection, and with it the snapshot and the temporary slot.
 */
final class SnapshotExport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotExport.class);

    private final PgSlotManager connection;
    private final CreatedSlot slot;
    private final Consumer<SnapshotExport> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param onClose told once, when the export is closed
     */
    SnapshotExport(PgSlotManager connection, CreatedSlot slot, Consumer<SnapshotExport> onClose) {
        this.connection = connection;
        this.slot = slot;
        this.onClose = onClose;
    }

    CreatedSlot slot() {
        return slot;
    }

    /** Idempotent: the coordinator's close and a group's release may both reach it. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        onClose.accept(this);
        connection.close();
        LOG.info(
                "Released exported snapshot {} (temporary slot '{}')",
                slot.snapshotName(),
                slot.slotName());
    }
}
