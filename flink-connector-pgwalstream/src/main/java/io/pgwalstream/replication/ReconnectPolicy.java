package io.pgwalstream.replication;

import java.io.Serializable;
import java.time.Duration;

/**
 * How a session retries after a transient failure: exponential backoff with jitter, bounded by a
 * number of attempts and by the total time spent trying since the connection was lost.
 *
 * @param jitter the fraction (0..1) of each delay that is randomised, so many readers losing one
 *     server do not reconnect in lock-step
 */
public record ReconnectPolicy(
        Duration initialBackoff,
        Duration maxBackoff,
        double multiplier,
        double jitter,
        int maxAttempts,
        Duration maxTotalTime)
        implements Serializable {

    public static final ReconnectPolicy DEFAULT =
            new ReconnectPolicy(
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(30),
                    2.0,
                    0.2,
                    20,
                    Duration.ofMinutes(10));

    /** No retries: the first failure is final. */
    public static final ReconnectPolicy NONE =
            new ReconnectPolicy(Duration.ZERO, Duration.ZERO, 1.0, 0.0, 0, Duration.ZERO);

    public ReconnectPolicy {
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "Reconnect backoff needs 0 <= initial ("
                            + initialBackoff
                            + ") <= max ("
                            + maxBackoff
                            + ")");
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException(
                    "Reconnect backoff multiplier must be >= 1, got " + multiplier);
        }
        if (jitter < 0.0 || jitter > 1.0) {
            throw new IllegalArgumentException("Reconnect jitter must be in [0, 1], got " + jitter);
        }
        if (maxAttempts < 0 || maxTotalTime.isNegative()) {
            throw new IllegalArgumentException(
                    "Reconnect attempts and total time must not be negative");
        }
    }
}
