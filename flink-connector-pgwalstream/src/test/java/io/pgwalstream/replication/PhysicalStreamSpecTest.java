package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhysicalStreamSpecTest {

    private static final Lsn START = Lsn.parse("0/3000028");

    @Test
    void defaultsToNoSlotAndTenSecondStatusUpdates() {
        PhysicalStreamSpec spec = PhysicalStreamSpec.from(START);
        assertThat(spec.slotName()).isNull();
        assertThat(spec.startLsn()).isEqualTo(START);
        assertThat(spec.statusInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(spec.describe()).isEqualTo("physical stream (no slot)");

        PhysicalStreamSpec slotted =
                spec.withSlot("archive_1").withStatusInterval(Duration.ofSeconds(1));
        assertThat(slotted)
                .isEqualTo(new PhysicalStreamSpec("archive_1", START, Duration.ofSeconds(1)));
        assertThat(slotted.describe()).isEqualTo("physical stream via slot 'archive_1'");
        assertThat(slotted.withSlot(null).slotName()).isNull();
    }

    @Test
    void aStartLsnIsRequired() {
        assertThatThrownBy(() -> PhysicalStreamSpec.from(Lsn.INVALID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a start LSN (got 0/0)");
        assertThatThrownBy(() -> PhysicalStreamSpec.from(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a start LSN (got null)");
    }

    @Test
    void slotNamesAndIntervalsAreValidated() {
        assertThatThrownBy(() -> PhysicalStreamSpec.from(START).withSlot("Archive"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains 'A'");
        assertThatThrownBy(() -> PhysicalStreamSpec.from(START).withStatusInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> PhysicalStreamSpec.from(START).withStatusInterval(null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
