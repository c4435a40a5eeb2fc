package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import java.util.Objects;

/**
 * The row {@code CREATE_REPLICATION_SLOT} returns.
 *
 * @param consistentPoint the earliest position a logical slot can stream from (its {@code
 *     confirmed_flush}); {@link Lsn#INVALID} for physical slots, for which the server reports none
 *     (see {@link SlotInfo#restartLsn()} for the WAL they reserve)
 * @param snapshotName the exported snapshot ({@link SnapshotAction#EXPORT} only), valid for {@code
 *     SET TRANSACTION SNAPSHOT} until the creating connection runs its next command; otherwise null
 * @param outputPlugin {@code pgoutput} for logical slots; null for physical slots
 */
public record CreatedSlot(
        String slotName, Lsn consistentPoint, String snapshotName, String outputPlugin) {

    public CreatedSlot {
        Objects.requireNonNull(slotName, "slotName");
        Objects.requireNonNull(consistentPoint, "consistentPoint");
    }
}
