package io.pgwalstream.protocol;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgTimestampsTest {

    @Test
    void epochIsTheYear2000() {
        assertThat(PgTimestamps.toInstant(0L)).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
        assertThat(PgTimestamps.toUnixMicros(0L)).isEqualTo(946_684_800_000_000L);
        assertThat(PgTimestamps.toUnixMillis(0L)).isEqualTo(946_684_800_000L);
        assertThat(PgTimestamps.fromInstant(Instant.EPOCH)).isEqualTo(-946_684_800_000_000L);
    }

    @Test
    void convertsBothWaysWithMicrosecondPrecision() {
        Instant instant = Instant.parse("2025-07-14T12:34:56.123456Z");
        long pg = PgTimestamps.fromInstant(instant);

        assertThat(PgTimestamps.toInstant(pg)).isEqualTo(instant);
        assertThat(PgTimestamps.fromUnixMicros(PgTimestamps.toUnixMicros(pg))).isEqualTo(pg);
        assertThat(PgTimestamps.toUnixMillis(pg)).isEqualTo(instant.toEpochMilli());
        assertThat(PgTimestamps.fromUnixMillis(instant.toEpochMilli())).isEqualTo(pg - 456);
    }

    @Test
    void beforeTheEpochRoundsTowardsThePast() {
        assertThat(PgTimestamps.toInstant(-1L))
                .isEqualTo(Instant.parse("1999-12-31T23:59:59.999999Z"));
        assertThat(PgTimestamps.toUnixMillis(-1L)).isEqualTo(946_684_799_999L);
        assertThat(PgTimestamps.fromInstant(Instant.parse("1999-12-31T23:59:59.9999999Z")))
                .isEqualTo(-1L);
    }

    @Test
    void nanosecondsAreTruncated() {
        assertThat(PgTimestamps.fromInstant(Instant.parse("2000-01-01T00:00:00.000001999Z")))
                .isEqualTo(1L);
    }

    @Test
    void infinitiesMapToInstantBounds() {
        assertThat(PgTimestamps.toInstant(Long.MAX_VALUE)).isEqualTo(Instant.MAX);
        assertThat(PgTimestamps.toInstant(Long.MIN_VALUE)).isEqualTo(Instant.MIN);
        assertThat(PgTimestamps.fromInstant(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
        assertThat(PgTimestamps.fromInstant(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
        // Finite extremes still convert without overflow.
        assertThat(PgTimestamps.toInstant(Long.MAX_VALUE - 1)).isBefore(Instant.MAX);
    }

    @Test
    void overflowIsAnError() {
        assertThatThrownBy(() -> PgTimestamps.toUnixMicros(Long.MAX_VALUE - 1))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> PgTimestamps.fromUnixMillis(Long.MAX_VALUE))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> PgTimestamps.fromInstant(Instant.parse("+300000-01-01T00:00:00Z")))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void nowReadsTheClock() {
        Clock clock = Clock.fixed(Instant.parse("2000-01-01T00:00:01Z"), ZoneOffset.UTC);

        assertThat(PgTimestamps.now(clock)).isEqualTo(1_000_000L);
    }
}
