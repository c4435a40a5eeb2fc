package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import java.util.Objects;

/**
 * One row of {@code pg_replication_slots}. Columns a server version lacks take the value that
 * version implies: {@code failover} is false before 17, {@code conflicting} is null before 16 and
 * {@code invalidationReason} null before 17.
 *
 * @param plugin output plugin; null for physical slots
 * @param database database of a logical slot; null for physical slots
 * @param activePid process using the slot right now; null if none
 * @param restartLsn oldest WAL the slot retains; {@link Lsn#INVALID} if it reserves none
 * @param confirmedFlushLsn position the consumer confirmed; {@link Lsn#INVALID} for physical slots
 * @param walStatus {@code reserved}, {@code extended}, {@code unreserved} or {@code lost}; null if
 *     the slot reserves no WAL
 * @param safeWalSize bytes that can still be written before the slot is in danger of being lost;
 *     null when unlimited or {@code lost}
 * @param conflicting whether a logical slot was invalidated by a conflict with recovery (16+); null
 *     for physical slots and before 16
 * @param invalidationReason why the slot was invalidated (17+), e.g. {@code wal_removed}; null if
 *     it is valid
 */
public record SlotInfo(
        String name,
        String plugin,
        SlotType type,
        String database,
        boolean temporary,
        boolean active,
        Integer activePid,
        Lsn restartLsn,
        Lsn confirmedFlushLsn,
        String walStatus,
        Long safeWalSize,
        boolean twoPhase,
        boolean failover,
        Boolean conflicting,
        String invalidationReason) {

    public SlotInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(restartLsn, "restartLsn");
        Objects.requireNonNull(confirmedFlushLsn, "confirmedFlushLsn");
    }

    /**
     * Whether the slot can no longer be used: its WAL was removed ({@code wal_status = lost}), the
     * server recorded an invalidation reason (17+) or it conflicted with recovery (16).
     */
    public boolean invalidated() {
        return "lost".equals(walStatus)
                || invalidationReason != null
                || Boolean.TRUE.equals(conflicting);
    }

    public boolean isLogical() {
        return type == SlotType.LOGICAL;
    }
}
