package io.pgwalstream.replication;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionSettingsTest {

    @Test
    void statusIntervalStaysWellInsideTheWalSenderTimeout() {
        Duration tenSeconds = Duration.ofSeconds(10);
        assertThat(SessionSettings.effectiveStatusInterval(tenSeconds, Duration.ofSeconds(60)))
                .isEqualTo(tenSeconds);
        assertThat(SessionSettings.effectiveStatusInterval(tenSeconds, Duration.ofSeconds(5)))
                .isEqualTo(Duration.ofSeconds(5).dividedBy(3));
        assertThat(SessionSettings.effectiveStatusInterval(tenSeconds, Duration.ZERO))
                .isEqualTo(tenSeconds);
    }

    @Test
    void parsesDurationsAsShowPrintsThem() {
        assertThat(SessionSettings.parseServerDuration("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(SessionSettings.parseServerDuration("1min")).isEqualTo(Duration.ofMinutes(1));
        assertThat(SessionSettings.parseServerDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(SessionSettings.parseServerDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(SessionSettings.parseServerDuration("0")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> SessionSettings.parseServerDuration("soon"))
                .hasMessageContaining("soon");
        assertThatThrownBy(() -> SessionSettings.parseServerDuration("5 fortnights"))
                .hasMessageContaining("Unknown unit");
    }

    @Test
    void theReceiveLingerStaysBetweenZeroAndTheReadTimeout() {
        assertThat(SessionSettings.DEFAULT.receiveLinger()).isEqualTo(Duration.ofMillis(1));
        assertThat(SessionSettings.DEFAULT.withReceiveLinger(Duration.ZERO).receiveLinger())
                .isZero();
        assertThatThrownBy(() -> SessionSettings.DEFAULT.withReceiveLinger(Duration.ofMillis(-1)))
                .hasMessageContaining("receive linger must be between 0 and the read timeout");
        assertThatThrownBy(() -> SessionSettings.DEFAULT.withReceiveLinger(Duration.ofSeconds(1)))
                .hasMessageContaining("(200 ms), not 1000 ms");
    }

    @Test
    void theReceiveTimeoutFollowsTheServerUnlessSet() {
        Duration sixtySeconds = Duration.ofSeconds(60);
        assertThat(SessionSettings.DEFAULT.effectiveReceiveTimeout(Duration.ofSeconds(20)))
                .isEqualTo(Duration.ofSeconds(20));
        // wal_sender_timeout = 0 (off) on the server: still a bound on this side.
        assertThat(SessionSettings.DEFAULT.effectiveReceiveTimeout(Duration.ZERO))
                .isEqualTo(sixtySeconds);
        SessionSettings set = SessionSettings.DEFAULT.withReceiveTimeout(Duration.ofSeconds(5));
        assertThat(set.effectiveReceiveTimeout(Duration.ofSeconds(20)))
                .isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> SessionSettings.DEFAULT.withReceiveTimeout(Duration.ofMillis(200)))
                .hasMessageContaining("longer than the read timeout (200 ms), not 200 ms");
        assertThatThrownBy(() -> SessionSettings.DEFAULT.withReceiveTimeout(Duration.ofMillis(-1)))
                .hasMessageContaining("must be 0");
    }
}
