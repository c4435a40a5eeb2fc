package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.replication.SlotInvalidatedException.Cause;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The cause of an invalidated slot, read from what each server version reports. */
class SlotInvalidatedExceptionTest {

    @Test
    void everyReasonOfPostgres17AndLaterIsNamed() {
        assertThat(causeOf("lost", null, "wal_removed")).isEqualTo(Cause.WAL_REMOVED);
        assertThat(causeOf("reserved", null, "idle_timeout")).isEqualTo(Cause.IDLE_TIMEOUT);
        assertThat(causeOf("reserved", true, "rows_removed")).isEqualTo(Cause.ROWS_REMOVED);
        assertThat(causeOf("reserved", true, "wal_level_insufficient"))
                .isEqualTo(Cause.WAL_LEVEL_INSUFFICIENT);
        assertThat(causeOf("reserved", null, "something_new")).isEqualTo(Cause.OTHER);
    }

    @Test
    void olderServersTellOnlyLostWalAndConflicts() {
        assertThat(causeOf("lost", null, null)).isEqualTo(Cause.WAL_REMOVED);
        // PostgreSQL 16 reports a slot that lost its WAL as conflicting too.
        assertThat(causeOf("lost", true, null)).isEqualTo(Cause.WAL_REMOVED);
        assertThat(causeOf("reserved", true, null)).isEqualTo(Cause.ROWS_REMOVED);
    }

    @Test
    void theMessageNamesTheSlotTheCauseTheWayOutAndThePrevention() {
        SlotInvalidatedException e =
                SlotInvalidatedException.of(slot("lost", null, "idle_timeout"), null);

        assertThat(e.slotName()).isEqualTo("orders");
        assertThat(e.sqlState()).isEqualTo("55000");
        assertThat(e.getMessage())
                .contains("Replication slot 'orders' was invalidated")
                .contains("idle_replication_slot_timeout")
                .contains("(invalidation_reason = idle_timeout)")
                .contains("0/16B3748")
                .contains("SELECT pg_drop_replication_slot('orders')")
                .contains("'scan.startup.mode' = 'initial'");
    }

    private static Cause causeOf(String walStatus, Boolean conflicting, String reason) {
        return SlotInvalidatedException.of(slot(walStatus, conflicting, reason), null)
                .invalidationCause();
    }

    private static SlotInfo slot(String walStatus, Boolean conflicting, String reason) {
        return new SlotInfo(
                "orders",
                "pgoutput",
                SlotType.LOGICAL,
                "shop",
                false,
                false,
                null,
                Lsn.parse("0/16B0000"),
                Lsn.parse("0/16B3748"),
                walStatus,
                null,
                false,
                false,
                conflicting,
                reason);
    }
}
