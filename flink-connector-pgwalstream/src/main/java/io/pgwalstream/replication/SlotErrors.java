package io.pgwalstream.replication;

import java.sql.SQLException;

/**
 * Turns a server error about a slot into a {@link SlotException} that says what happened and what
 * to do. The SQLSTATE decides, never the message text, which the server may translate.
 */
final class SlotErrors {

    static final String DUPLICATE_OBJECT = "42710";
    static final String UNDEFINED_OBJECT = "42704";
    static final String OBJECT_IN_USE = "55006";
    static final String OBJECT_NOT_IN_PREREQUISITE_STATE = "55000";

    private SlotErrors() {}

    /**
     * @param action what was attempted, as in "could not {action} replication slot"
     * @param endpoint {@code user@host:port/database}, never credentials
     */
    static SlotException translate(
            String slot, String action, String endpoint, SQLException cause) {
        String state = cause.getSQLState() == null ? "" : cause.getSQLState();
        String server = " (server: " + cause.getMessage() + ")";
        String quoted = "'" + slot + "'";
        switch (state) {
            case DUPLICATE_OBJECT:
                return new SlotException(
                        slot,
                        SlotException.Reason.ALREADY_EXISTS,
                        "Replication slot "
                                + quoted
                                + " already exists on "
                                + endpoint
                                + server
                                + ". Reuse it, drop it if it is a leftover (SELECT"
                                + " pg_drop_replication_slot("
                                + quoted
                                + ")), or choose another slot name.",
                        cause);
            case UNDEFINED_OBJECT:
                return new SlotException(
                        slot,
                        SlotException.Reason.NOT_FOUND,
                        "Replication slot "
                                + quoted
                                + " does not exist on "
                                + endpoint
                                + server
                                + ". Check the slot name and the server; a temporary slot is"
                                + " gone once the connection that created it closed.",
                        cause);
            case OBJECT_IN_USE:
                return new SlotException(
                        slot,
                        SlotException.Reason.ACTIVE,
                        "Replication slot "
                                + quoted
                                + " on "
                                + endpoint
                                + " is in use by another process"
                                + server
                                + ". Stop the consumer using it (pg_replication_slots.active_pid)"
                                + " or drop with wait to block until it is released.",
                        cause);
            default:
                return new SlotException(
                        slot,
                        SlotException.Reason.FAILED,
                        "Could not "
                                + action
                                + " replication slot "
                                + quoted
                                + " on "
                                + endpoint
                                + server
                                + (state.isEmpty() ? "" : " [SQLSTATE " + state + "]")
                                + hint(state),
                        cause);
        }
    }

    private static String hint(String state) {
        if (state.startsWith("08")) {
            return ". The connection failed: the command may or may not have taken effect, so"
                    + " describe the slot before retrying.";
        }
        switch (state) {
            case "53400":
                return ". Drop unused slots or raise max_replication_slots.";
            case "42501":
                return ". The user needs the REPLICATION attribute (or superuser).";
            case "55000":
                return ". Check the server configuration (logical slots need wal_level ="
                        + " logical).";
            default:
                return ".";
        }
    }
}
