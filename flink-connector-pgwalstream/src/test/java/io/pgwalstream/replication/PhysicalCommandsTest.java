package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The replication commands of physical streaming, and the rows they answer with. */
class PhysicalCommandsTest {

    @Test
    void startReplicationPhysical() {
        Lsn start = Lsn.parse("16/B374D848");
        assertThat(StartReplicationCommand.physical(null, start, 0))
                .isEqualTo("START_REPLICATION PHYSICAL 16/B374D848");
        assertThat(StartReplicationCommand.physical(null, start, 3))
                .isEqualTo("START_REPLICATION PHYSICAL 16/B374D848 TIMELINE 3");
        assertThat(StartReplicationCommand.physical("archive", start, 1))
                .isEqualTo("START_REPLICATION SLOT \"archive\" PHYSICAL 16/B374D848 TIMELINE 1");
        assertThatThrownBy(() -> StartReplicationCommand.physical("bad name", start, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void identifySystemAndTimelineHistory() {
        assertThat(SystemIdentity.COMMAND).isEqualTo("IDENTIFY_SYSTEM");
        assertThat(TimelineHistory.command(2)).isEqualTo("TIMELINE_HISTORY 2");
        assertThat(TimelineHistory.command(4294967295L)).isEqualTo("TIMELINE_HISTORY 4294967295");
    }

    @Test
    void identifySystemRows() {
        SystemIdentity physical =
                SystemIdentity.parse("7456123987654321098", "2", "0/3032920", null);
        assertThat(physical)
                .isEqualTo(
                        new SystemIdentity("7456123987654321098", 2, Lsn.parse("0/3032920"), null));
        // Unsigned 64-bit identifiers above Long.MAX_VALUE stay exact as text; PostgreSQL 19
        // zero-pads the low half of LSNs.
        assertThat(SystemIdentity.parse("18446744073709551615", "1", "1/00000A00", "db"))
                .isEqualTo(new SystemIdentity("18446744073709551615", 1, Lsn.parse("1/A00"), "db"));
        assertThatThrownBy(() -> SystemIdentity.parse("1", "one", "0/1", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeline 'one'");
        assertThatThrownBy(() -> SystemIdentity.parse("1", "0", "0/1", null))
                .hasMessageContaining("timelines start at 1");
        assertThatThrownBy(() -> SystemIdentity.parse("1", "1", null, null))
                .hasMessageContaining("no WAL position");
        assertThatThrownBy(() -> SystemIdentity.parse("", "1", "0/1", null))
                .hasMessageContaining("no system identifier");
    }
}
