package io.pgwalstream.flink.source;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.TableName;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The builder refuses settings that contradict each other instead of letting the last one win. */
class PgWalStreamSourceBuilderTest {

    private static PgWalStreamSourceBuilder<String> builder() {
        return PgWalStreamSource.<String>builder()
                .connection(PgConnectionConfig.of("localhost", 5432, "shop", "flink"))
                .slotGroup("orders_slot", "orders_pub", List.of(TableName.of("public", "orders")))
                .deserializer(new RowTextDeserializer());
    }

    @Test
    void twoStartupModesAreRefusedNamingBoth() {
        assertThatThrownBy(() -> builder().startFromLsn(Lsn.parse("0/16B3748")).startWithSnapshot())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("startWithSnapshot() conflicts with startFromLsn(0/16B3748)")
                .hasMessageContaining("one startup mode");
        assertThatThrownBy(() -> builder().snapshotOnly().startFromLatest())
                .hasMessageContaining("startFromLatest() conflicts with snapshotOnly()");
    }

    @Test
    void theSameStartupModeTwiceIsFine() {
        PgWalStreamSource<String> source =
                builder().startWithSnapshot().startWithSnapshot().build();
        assertThat(source.config().startupMode()).isEqualTo(StartupMode.INITIAL);
    }

    @Test
    void twoStopPositionsAreRefused() {
        assertThatThrownBy(() -> builder().stopAt(Lsn.parse("1/0")).stopAtCurrentLsn())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stopAtCurrentLsn() conflicts with stopAt(1/0)");
        PgWalStreamSource<String> once = builder().stopAt(Lsn.parse("1/0")).build();
        assertThat(once.config().stopLsn()).isEqualTo(Lsn.parse("1/0"));
        assertThat(once.config().bounded()).isTrue();
    }

    @Test
    void aStopPositionWithASnapshotOnlySourceIsRefused() {
        assertThatThrownBy(() -> builder().snapshotOnly().stopAtCurrentLsn().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a stop position has no meaning");
    }

    @Test
    void invalidPositionsAreRefusedAtTheCall() {
        assertThatThrownBy(() -> builder().startFromLsn(Lsn.INVALID))
                .hasMessageContaining("startFromLsn needs a valid LSN");
        assertThatThrownBy(() -> builder().stopAt(null)).hasMessageContaining("stopAt needs");
    }

    @Test
    void theOriginFilterIsPgoutputsOption() {
        assertThat(builder().origin(OriginFilter.NONE).build().config().origin()).isEqualTo("none");
        assertThat(builder().build().config().origin()).isNull();
        assertThat(OriginFilter.ofOption("any")).isEqualTo(OriginFilter.ANY);
        assertThatThrownBy(() -> OriginFilter.ofOption("local"))
                .hasMessageContaining("'local'")
                .hasMessageContaining("'none' or 'any'");
    }
}
