package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import java.util.Locale;

/**
 * The server invalidated a replication slot: it can no longer be read, and the changes after its
 * last confirmed position are in no slot. Never retried. The message names the cause, how to go on
 * (a new slot and a new snapshot) and how to keep it from happening again.
 */
public final class SlotInvalidatedException extends ReplicationException {

    /**
     * Why the server gave the slot up, from {@code invalidation_reason} (17+) or {@code
     * wal_status}.
     */
    public enum Cause {
        /**
         * The WAL it needed was removed: it fell more than {@code max_slot_wal_keep_size} behind.
         */
        WAL_REMOVED(
                "the WAL it still needed was removed, because the slot fell more than"
                        + " max_slot_wal_keep_size behind the server's WAL",
                "raise max_slot_wal_keep_size (-1: no limit, at the risk of a full disk) and alert"
                        + " on the slotSafeWalBytes metric, the WAL that can still be written"
                        + " before this happens"),
        /** Inactive longer than {@code idle_replication_slot_timeout} (18+). */
        IDLE_TIMEOUT(
                "it was inactive for longer than idle_replication_slot_timeout",
                "raise idle_replication_slot_timeout, or do not leave the slot without a running"
                        + " job for that long"),
        /** On a standby: rows it needed were removed on the primary (a conflict with recovery). */
        ROWS_REMOVED(
                "rows it needed were removed on the primary (a conflict with recovery on this"
                        + " standby)",
                "set hot_standby_feedback = on on the standby and stream the standby through a"
                        + " physical slot (primary_slot_name)"),
        /** The primary's {@code wal_level} was lowered below {@code logical}. */
        WAL_LEVEL_INSUFFICIENT(
                "the primary's wal_level is below logical",
                "set wal_level = logical on the primary and restart it"),
        /** A reason this version of the connector does not know. */
        OTHER("the server gave no reason this connector knows", "see the server log");

        private final String explanation;
        private final String prevention;

        Cause(String explanation, String prevention) {
            this.explanation = explanation;
            this.prevention = prevention;
        }

        static Cause of(SlotInfo slot) {
            String reason = slot.invalidationReason();
            if (reason == null) {
                // Before 17: lost WAL first (16 also says 'conflicting' then); otherwise a
                // conflict with recovery.
                return "lost".equals(slot.walStatus()) || !Boolean.TRUE.equals(slot.conflicting())
                        ? WAL_REMOVED
                        : ROWS_REMOVED;
            }
            switch (reason.toLowerCase(Locale.ROOT)) {
                case "wal_removed":
                    return WAL_REMOVED;
                case "idle_timeout":
                    return IDLE_TIMEOUT;
                case "rows_removed":
                    return ROWS_REMOVED;
                case "wal_level_insufficient":
                    return WAL_LEVEL_INSUFFICIENT;
                default:
                    return OTHER;
            }
        }
    }

    private final String slotName;
    private final Cause cause;

    private SlotInvalidatedException(String slotName, Cause cause, String message, Throwable t) {
        super(message, SlotErrors.OBJECT_NOT_IN_PREREQUISITE_STATE, t);
        this.slotName = slotName;
        this.cause = cause;
    }

    /**
     * The error for an invalidated slot.
     *
     * @param slot a slot for which {@link SlotInfo#invalidated()} holds
     * @param failure what the server answered when the slot was used, or null
     */
    public static SlotInvalidatedException of(SlotInfo slot, Throwable failure) {
        Cause cause = Cause.of(slot);
        Lsn confirmed = slot.confirmedFlushLsn();
        String message =
                "Replication slot '"
                        + slot.name()
                        + "' was invalidated by the server: "
                        + cause.explanation
                        + (slot.invalidationReason() == null
                                ? " (wal_status = " + slot.walStatus() + ")"
                                : " (invalidation_reason = " + slot.invalidationReason() + ")")
                        + ". It cannot be read any more, and the changes after its last confirmed"
                        + " position"
                        + (confirmed.isValid() ? " " + confirmed : "")
                        + " are in no slot. To go on: drop it (SELECT"
                        + " pg_drop_replication_slot('"
                        + slot.name()
                        + "')) and start the job without its state (not from a checkpoint or"
                        + " savepoint) with an initial snapshot ('scan.startup.mode' = 'initial'),"
                        + " which creates the slot anew and reads the tables again. To keep it"
                        + " from happening again, "
                        + cause.prevention
                        + ".";
        return new SlotInvalidatedException(slot.name(), cause, message, failure);
    }

    public String slotName() {
        return slotName;
    }

    public Cause invalidationCause() {
        return cause;
    }
}
