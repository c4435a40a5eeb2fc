package io.pgwalstream.replication;

import java.io.IOException;
import java.sql.SQLException;

/**
 * Decides whether a failure of a replication connection is worth a reconnect.
 *
 * <p>Transient — the server or network will recover, and resuming from the last confirmed LSN loses
 * nothing: connection failures (SQLSTATE class 08, I/O errors), the walsender being terminated or
 * the server shutting down or starting (57P01, 57P02, 57P03), too many connections (53300).
 *
 * <p>Permanent — retrying cannot help and would hide the problem: a missing slot (42704), an
 * invalidated slot (55000), authentication failures (28xxx), missing privileges (42501), a missing
 * database (3D000), a slot held by another process (55006). One exception: right after our own
 * connection broke, the slot may still be held by our old walsender until it notices, so 55006 is
 * transient while reconnecting, and for a bounded time on the first connection (the session decides
 * how long).
 */
final class FailureClassifier {

    enum Kind {
        TRANSIENT,
        PERMANENT
    }

    record Classification(Kind kind, String sqlState, String advice) {
        boolean transientFailure() {
            return kind == Kind.TRANSIENT;
        }
    }

    private FailureClassifier() {}

    static Classification classify(Throwable failure, boolean reconnecting) {
        String state = sqlState(failure);
        if (state == null) {
            return hasCause(failure, IOException.class)
                    ? transientFailure(null, "the connection was lost")
                    : permanent(null, "an unexpected error; see the cause");
        }
        if (state.startsWith("08")) {
            return transientFailure(state, "the connection failed");
        }
        switch (state) {
            case "57P01":
            case "57P02":
            case "57P03":
                return transientFailure(
                        state, "the server terminated the walsender or is restarting");
            case "53300":
                return transientFailure(state, "the server has no free connection slots right now");
            case "55006":
                return reconnecting
                        ? transientFailure(state, "the previous walsender still holds the slot")
                        : permanent(
                                state,
                                "the replication slot is in use by another process; stop the other"
                                        + " consumer or use another slot");
            case "42704":
                if (messageMentions(failure, "publication")) {
                    return permanent(
                            state,
                            "a publication does not exist at the WAL position being decoded."
                                    + " PostgreSQL reads publications as of each change, so a"
                                    + " publication must exist before the changes it should carry"
                                    + " are written: create it, and make sure the slot starts after"
                                    + " that point (or re-create the slot)");
                }
                return permanent(
                        state,
                        "the replication slot does not exist (dropped or never created); create it"
                                + " or let the connector create it, then restart — changes made"
                                + " while it was missing cannot be recovered from it");
            case "55000":
                return permanent(
                        state,
                        "the replication slot cannot be used (for example invalidated because it"
                                + " exceeded max_slot_wal_keep_size); drop and re-create it and"
                                + " re-snapshot the tables");
            case "28P01":
            case "28000":
                return permanent(state, "authentication failed; check the user name and password");
            case "42501":
                return permanent(
                        state,
                        "permission denied; the role needs the REPLICATION attribute (or superuser)"
                                + " and access to the database");
            case "3D000":
                return permanent(state, "the database does not exist; check the database name");
            default:
                return hasCause(failure, IOException.class)
                        ? transientFailure(state, "the connection was lost")
                        : permanent(state, "the server refused the request");
        }
    }

    /** Whether the server refused the slot because another process holds it. */
    static boolean isSlotInUse(Throwable failure) {
        return SlotErrors.OBJECT_IN_USE.equals(sqlState(failure));
    }

    private static Classification transientFailure(String state, String advice) {
        return new Classification(Kind.TRANSIENT, state, advice);
    }

    private static Classification permanent(String state, String advice) {
        return new Classification(Kind.PERMANENT, state, advice);
    }

    private static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static boolean messageMentions(Throwable failure, String word) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(word)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
