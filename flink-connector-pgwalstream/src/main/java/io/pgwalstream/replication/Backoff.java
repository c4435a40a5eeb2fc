package io.pgwalstream.replication;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The retry schedule of one outage under a {@link ReconnectPolicy}: {@link #nextDelayMillis()}
 * gives the wait before the next attempt, or nothing once attempts or time are used up. {@link
 * #reset()} after a successful reconnect starts a fresh outage.
 */
final class Backoff {

    private final ReconnectPolicy policy;
    private final DoubleSupplier random;
    private final LongSupplier clockMillis;
    private int attempts;
    private long outageStartMillis = -1;

    Backoff(ReconnectPolicy policy, DoubleSupplier random, LongSupplier clockMillis) {
        this.policy = policy;
        this.random = random;
        this.clockMillis = clockMillis;
    }

    OptionalLong nextDelayMillis() {
        long now = clockMillis.getAsLong();
        if (outageStartMillis < 0) {
            outageStartMillis = now;
        }
        if (attempts >= policy.maxAttempts()) {
            return OptionalLong.empty();
        }
        double base = policy.initialBackoff().toMillis() * Math.pow(policy.multiplier(), attempts);
        double capped = Math.min(base, policy.maxBackoff().toMillis());
        // Jitter spreads the delay over [capped * (1 - jitter), capped].
        long delay = Math.round(capped * (1.0 - policy.jitter() * random.getAsDouble()));
        long deadline = outageStartMillis + policy.maxTotalTime().toMillis();
        if (now + delay > deadline) {
            return OptionalLong.empty();
        }
        attempts++;
        return OptionalLong.of(delay);
    }

    int attempts() {
        return attempts;
    }

    Duration elapsed() {
        return outageStartMillis < 0
                ? Duration.ZERO
                : Duration.ofMillis(clockMillis.getAsLong() - outageStartMillis);
    }

    void reset() {
        attempts = 0;
        outageStartMillis = -1;
    }
}
