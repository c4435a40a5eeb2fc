package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class SlotInfoTest {

    @Test
    void queryAsksEachVersionOnlyForColumnsItHas() {
        String pg14 = SlotInfoQuery.sql(new ServerVersion(140015));
        String pg16 = SlotInfoQuery.sql(new ServerVersion(160006));
        String pg17 = SlotInfoQuery.sql(new ServerVersion(170005));
        assertThat(pg14)
                .contains("NULL::boolean AS conflicting")
                .contains("false AS failover")
                .contains("NULL::text AS invalidation_reason")
                .endsWith("FROM pg_catalog.pg_replication_slots WHERE slot_name = ?");
        assertThat(pg16)
                .contains(", conflicting")
                .contains("false AS failover")
                .contains("NULL::text AS invalidation_reason");
        assertThat(pg17)
                .contains(", conflicting")
                .contains(", failover")
                .contains(", invalidation_reason")
                .doesNotContain(" AS ");
        assertThat(SlotInfoQuery.sql(new ServerVersion(180001))).isEqualTo(pg17);
    }

    @Test
    void invalidatedByLostWalByAReasonOrByAConflict() {
        assertThat(slot("reserved", null, null).invalidated()).isFalse();
        assertThat(slot(null, null, null).invalidated()).isFalse();
        assertThat(slot("unreserved", null, false).invalidated()).isFalse();
        assertThat(slot("lost", null, null).invalidated()).isTrue();
        assertThat(slot("reserved", null, true).invalidated()).isTrue();
        assertThat(slot(null, "idle_timeout", false).invalidated()).isTrue();
    }

    @Test
    void slotTypesParseAsTheCatalogWritesThem() {
        assertThat(SlotType.parse("logical")).isEqualTo(SlotType.LOGICAL);
        assertThat(SlotType.parse("physical")).isEqualTo(SlotType.PHYSICAL);
        assertThatThrownBy(() -> SlotType.parse("LOGICAL"))
                .hasMessageContaining("expected logical or physical");
    }

    private static SlotInfo slot(String walStatus, String reason, Boolean conflicting) {
        return new SlotInfo(
                "s",
                "pgoutput",
                SlotType.LOGICAL,
                "db",
                false,
                false,
                null,
                Lsn.parse("0/10"),
                Lsn.parse("0/20"),
                walStatus,
                null,
                false,
                false,
                conflicting,
                reason);
    }
}
