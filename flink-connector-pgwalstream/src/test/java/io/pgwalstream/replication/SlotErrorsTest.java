package io.pgwalstream.replication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Server errors become {@link SlotException}s by SQLSTATE, with a message that says what to do. */
@Timeout(10)
class SlotErrorsTest {

    private static final String ENDPOINT = "repl@db.example:5432/shop";

    @Test
    void duplicateSlot() {
        SlotException e =
                translate("create", "ERROR: replication slot \"orders\" already exists", "42710");
        assertThat(e.reason()).isEqualTo(SlotException.Reason.ALREADY_EXISTS);
        assertThat(e.getMessage())
                .startsWith("Replication slot 'orders' already exists on " + ENDPOINT)
                .contains("pg_drop_replication_slot('orders')")
                .contains("choose another slot name");
    }

    @Test
    void missingSlot() {
        SlotException e =
                translate("drop", "ERROR: replication slot \"orders\" does not exist", "42704");
        assertThat(e.reason()).isEqualTo(SlotException.Reason.NOT_FOUND);
        assertThat(e.getMessage())
                .startsWith("Replication slot 'orders' does not exist on " + ENDPOINT)
                .contains("temporary slot");
    }

    @Test
    void activeSlot() {
        SlotException e =
                translate(
                        "drop",
                        "ERROR: replication slot \"orders\" is active for PID 4242",
                        "55006");
        assertThat(e.reason()).isEqualTo(SlotException.Reason.ACTIVE);
        assertThat(e.getMessage())
                .contains("'orders'")
                .contains("PID 4242")
                .contains("active_pid")
                .contains("drop with wait");
    }

    @Test
    void otherFailuresKeepTheSqlStateAndAddAHintWhereThereIsOne() {
        SlotException limit =
                translate("create", "ERROR: all replication slots are in use", "53400");
        assertThat(limit.reason()).isEqualTo(SlotException.Reason.FAILED);
        assertThat(limit.sqlState()).isEqualTo("53400");
        assertThat(limit.getMessage())
                .startsWith("Could not create replication slot 'orders' on " + ENDPOINT)
                .contains("[SQLSTATE 53400]")
                .contains("max_replication_slots");
        assertThat(translate("create", "ERROR: permission denied", "42501").getMessage())
                .contains("REPLICATION attribute");
        assertThat(translate("drop", "An I/O error occurred", "08006").getMessage())
                .contains("may or may not have taken effect");
        SlotException noState = translate("describe", "something odd", null);
        assertThat(noState.sqlState()).isNull();
        assertThat(noState.getMessage()).doesNotContain("SQLSTATE").endsWith(".");
    }

    private static SlotException translate(String action, String message, String state) {
        SQLException cause = new SQLException(message, state);
        SlotException e = SlotErrors.translate("orders", action, ENDPOINT, cause);
        assertThat(e.getCause()).isSameAs(cause);
        assertThat(e.slotName()).isEqualTo("orders");
        assertThat(e.getMessage()).contains(message);
        return e;
    }
}
