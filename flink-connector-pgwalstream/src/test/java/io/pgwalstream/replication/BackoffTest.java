package io.pgwalstream.replication;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);

    @Test
    void growsExponentiallyUpToTheCap() {
        ReconnectPolicy policy =
                new ReconnectPolicy(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(5),
                        2.0,
                        0.0,
                        10,
                        Duration.ofHours(1));
        Backoff backoff = new Backoff(policy, () -> 0.5, clock::get);
        assertThat(delays(backoff, 5)).containsExactly(1000L, 2000L, 4000L, 5000L, 5000L);
    }

    @Test
    void jitterOnlyShortensTheDelay() {
        ReconnectPolicy policy =
                new ReconnectPolicy(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        2.0,
                        0.2,
                        10,
                        Duration.ofHours(1));
        assertThat(new Backoff(policy, () -> 0.0, clock::get).nextDelayMillis()).hasValue(1000L);
        assertThat(new Backoff(policy, () -> 1.0, clock::get).nextDelayMillis()).hasValue(800L);
    }

    @Test
    void stopsAfterMaxAttemptsAndStartsOverAfterReset() {
        ReconnectPolicy policy =
                new ReconnectPolicy(
                        Duration.ofMillis(10),
                        Duration.ofMillis(10),
                        1.0,
                        0.0,
                        2,
                        Duration.ofHours(1));
        Backoff backoff = new Backoff(policy, () -> 0.0, clock::get);
        assertThat(backoff.nextDelayMillis()).isPresent();
        assertThat(backoff.nextDelayMillis()).isPresent();
        assertThat(backoff.nextDelayMillis()).isEmpty();
        backoff.reset();
        assertThat(backoff.nextDelayMillis()).isPresent();
    }

    @Test
    void stopsWhenTheNextWaitWouldPassTheTotalTime() {
        ReconnectPolicy policy =
                new ReconnectPolicy(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        1.0,
                        0.0,
                        100,
                        Duration.ofSeconds(3));
        Backoff backoff = new Backoff(policy, () -> 0.0, clock::get);
        assertThat(backoff.nextDelayMillis()).hasValue(1000L);
        clock.addAndGet(1000);
        assertThat(backoff.nextDelayMillis()).hasValue(1000L);
        clock.addAndGet(1500);
        assertThat(backoff.nextDelayMillis()).isEmpty();
        assertThat(backoff.elapsed()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void noneNeverRetries() {
        assertThat(new Backoff(ReconnectPolicy.NONE, () -> 0.0, clock::get).nextDelayMillis())
                .isEmpty();
    }

    private static long[] delays(Backoff backoff, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            OptionalLong d = backoff.nextDelayMillis();
            out[i] = d.orElseThrow();
        }
        return out;
    }
}
