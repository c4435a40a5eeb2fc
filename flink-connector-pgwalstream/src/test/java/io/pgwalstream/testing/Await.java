package io.pgwalstream.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waiting on a condition with a deadline, for tests: polls it and fails with an {@link
 * AssertionError} naming what was awaited once the timeout passes. Never a fixed sleep: it returns
 * as soon as the condition holds.
 */
public final class Await {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private Await() {}

    /** A condition that may throw (e.g. a query). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    public static void until(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted waiting for " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
