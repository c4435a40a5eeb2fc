package io.pgwalstream.e2e.cluster;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes; the only way the harness waits. A probe
 * that throws fails the wait at once, so probes catch what they consider transient themselves.
 */
public final class Waiting {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private Waiting() {}

    /**
     * Returns the first value {@code probe} yields within {@code timeout}.
     *
     * @param what completes "Timed out after 30 s waiting for ..."
     * @param lastSeen describes the state at the timeout, for the failure message
     */
    public static <T> T until(
            String what, Duration timeout, Supplier<Optional<T>> probe, Supplier<String> lastSeen)
            throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                String state = lastSeen == null ? "" : " (last seen: " + lastSeen.get() + ")";
                throw new TimeoutException(
                        "Timed out after "
                                + timeout.toSeconds()
                                + " s waiting for "
                                + what
                                + state);
            }
            LockSupport.parkNanos(Math.min(POLL_NANOS, left));
            if (Thread.interrupted()) {
                throw new IllegalStateException("Interrupted while waiting for " + what);
            }
        }
    }

    public static <T> T until(String what, Duration timeout, Supplier<Optional<T>> probe)
            throws TimeoutException {
        return until(what, timeout, probe, null);
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition)
            throws TimeoutException {
        until(
                what,
                timeout,
                () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(),
                null);
    }

    public static void until(
            String what, Duration timeout, BooleanSupplier condition, Supplier<String> lastSeen)
            throws TimeoutException {
        until(
                what,
                timeout,
                () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(),
                lastSeen);
    }
}
