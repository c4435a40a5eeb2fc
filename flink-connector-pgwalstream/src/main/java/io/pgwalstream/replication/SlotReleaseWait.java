package io.pgwalstream.replication;

import java.time.Duration;

/**
 * Whether a slot held by another walsender on the first connection is worth waiting for. It is
 * usually held by the walsender of the task this one replaces (a TaskManager that died, a job
 * stopped a moment ago): the server releases it once it notices the old connection is gone, at the
 * latest after its {@code wal_sender_timeout}. Waiting that long is worth it; holding on longer
 * would hide a real second consumer. Used by the session's I/O thread only.
 */
final class SlotReleaseWait {

    private final long patienceNanos;
    private boolean waiting;
    private long since;

    SlotReleaseWait(Duration patience) {
        this.patienceNanos = patience.toNanos();
    }

    /** Whether {@code failure} is a busy slot still within the patience. */
    boolean mayBeReleasedSoon(Exception failure, long now) {
        if (!FailureClassifier.isSlotInUse(failure)) {
            return false;
        }
        if (!waiting) {
            waiting = true;
            since = now;
        }
        return now - since < patienceNanos;
    }

    /** A session started: a later busy slot starts a new wait. */
    void reset() {
        waiting = false;
    }
}
