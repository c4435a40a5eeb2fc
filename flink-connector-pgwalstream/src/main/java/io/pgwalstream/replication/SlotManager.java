package io.pgwalstream.replication;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Creates, inspects and drops replication slots. Behind an interface so that higher layers can be
 * tested with a fake; {@link PgSlotManager} is the real one.
 *
 * <p>Temporary slots belong to the manager's connection: they exist until {@link #close()}. Every
 * method throws {@link SlotException} when the server refuses or cannot be reached, and {@link
 * UnsupportedServerFeatureException} before contacting the server when a spec asks for something
 * the server's version lacks.
 */
public interface SlotManager extends AutoCloseable {

    /**
     * Creates a logical pgoutput slot. With {@link SnapshotAction#USE} the slot is created in a
     * {@code REPEATABLE READ READ ONLY} transaction that commits at once, so its snapshot is
     * discarded; use {@link #createLogicalInSnapshot} to read in it.
     *
     * @throws SlotException {@link SlotException.Reason#ALREADY_EXISTS} if the name is taken
     */
    CreatedSlot createLogical(LogicalSlotSpec spec);

    /**
     * Creates a logical slot with {@link SnapshotAction#USE} and runs {@code reader} inside the
     * slot's snapshot: it sees the database exactly as of the slot's consistent point, so reading a
     * table there and then streaming the slot gives every change once, with no gap. The transaction
     * is read-only and ends when the reader returns. If the reader fails, the new slot is dropped
     * again, so a retry can create it anew.
     *
     * @throws IllegalArgumentException if {@code spec} does not ask for {@link SnapshotAction#USE}
     */
    <T> T createLogicalInSnapshot(LogicalSlotSpec spec, SnapshotReader<T> reader);

    CreatedSlot createPhysical(PhysicalSlotSpec spec);

    /** The slot's row in {@code pg_replication_slots}, or empty if there is no such slot. */
    Optional<SlotInfo> describe(String slotName);

    /**
     * Drops a slot.
     *
     * @param waitUntilInactive wait for the process using the slot to release it instead of failing
     *     with {@link SlotException.Reason#ACTIVE}
     * @throws SlotException {@link SlotException.Reason#NOT_FOUND} if there is no such slot
     */
    void drop(String slotName, boolean waitUntilInactive);

    /** Closes the connection; the temporary slots it created are dropped by the server. */
    @Override
    void close();

    /** Work done inside a new slot's snapshot. */
    @FunctionalInterface
    interface SnapshotReader<T> {
        /**
         * @param connection the creating connection, in the slot's snapshot; plain SQL queries only
         *     (it is a walsender connection: simple query protocol, no writes, no savepoints)
         */
        T read(Connection connection, CreatedSlot slot) throws SQLException;
    }
}
