package io.pgwalstream.flink.source.reader;

import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.PgSlotManager;
import io.pgwalstream.replication.SlotInfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Refuses to resume from a position the slot has already released. PostgreSQL cannot re-send
 * changes before a logical slot's {@code confirmed_flush_lsn}; restoring an older savepoint than
 * the slot's position would silently lose them.
 */
class RestoreCheck implements Serializable {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreCheck.class);

    private final PgConnectionConfig connection;
    private final boolean acceptGap;

    RestoreCheck(PgConnectionConfig connection, boolean acceptGap) {
        this.connection = connection;
        this.acceptGap = acceptGap;
    }

    void verify(PgWalStreamSplit split) {
        String slot = split.group().slotName();
        Optional<SlotInfo> info = describe(slot);
        if (info.isEmpty()) {
            throw new IllegalStateException(
                    "Cannot resume slot group "
                            + split.splitId()
                            + ": replication slot '"
                            + slot
                            + "' no longer exists on "
                            + connection.describe()
                            + ". Its changes since "
                            + split.confirmableLsn()
                            + " are gone; re-create the slot and start the job without state"
                            + " (re-snapshot the tables).");
        }
        Lsn confirmed = info.get().confirmedFlushLsn();
        if (confirmed.compareTo(split.resumeLsn()) <= 0) {
            return;
        }
        String gap =
                "Slot '"
                        + slot
                        + "' has already confirmed "
                        + confirmed
                        + ", past the restored position "
                        + split.resumeLsn()
                        + ": the changes in between were released by PostgreSQL and cannot be"
                        + " read again.";
        if (!acceptGap) {
            throw new IllegalStateException(
                    gap
                            + " This happens when restoring a savepoint or checkpoint older than"
                            + " the last completed one. Restore the latest checkpoint, or accept"
                            + " the gap explicitly (builder acceptRestoreGap(true) /"
                            + " 'scan.restore.accept-gap' = 'true').");
        }
        LOG.warn("{} Continuing because the gap was accepted.", gap);
    }

    Optional<SlotInfo> describe(String slot) {
        try (PgSlotManager slots = PgSlotManager.open(connection)) {
            return slots.describe(slot);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Cannot read replication slot '" + slot + "' on " + connection.describe(), e);
        }
    }
}
