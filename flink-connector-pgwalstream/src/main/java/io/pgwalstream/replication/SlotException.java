package io.pgwalstream.replication;

import java.sql.SQLException;

/**
 * Creating, describing or dropping a replication slot failed. The message names the slot, what
 * happened and what to do; {@link #reason()} tells the cases apart for callers, and the server's
 * {@link SQLException} (with its SQLSTATE) is the cause when there is one.
 */
public final class SlotException extends RuntimeException {

    /** What went wrong. */
    public enum Reason {
        /** {@code CREATE_REPLICATION_SLOT} found a slot of that name (SQLSTATE 42710). */
        ALREADY_EXISTS,
        /** The slot does not exist (SQLSTATE 42704). */
        NOT_FOUND,
        /** Another process uses the slot (SQLSTATE 55006). */
        ACTIVE,
        /** Anything else: the connection, privileges, server limits, the caller's snapshot work. */
        FAILED
    }

    private final String slotName;
    private final Reason reason;

    /** Public so that fakes of {@link SlotManager} can throw it too. */
    public SlotException(String slotName, Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.slotName = slotName;
        this.reason = reason;
    }

    public String slotName() {
        return slotName;
    }

    public Reason reason() {
        return reason;
    }

    /** The SQLSTATE the server (or driver) reported, or null if the cause carries none. */
    public String sqlState() {
        return getCause() instanceof SQLException e ? e.getSQLState() : null;
    }
}
