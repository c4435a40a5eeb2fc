package io.pgwalstream.replication;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Notices a replication connection that has gone silent without closing, as PostgreSQL's
 * walreceiver does with {@code wal_receiver_timeout}. An idle walsender sends nothing while the
 * client's status reports keep it content, so silence alone proves nothing: halfway through the
 * timeout the client asks for a reply, which a live server answers at once with a keepalive. Times
 * are {@link System#nanoTime()} values.
 */
final class ReceiveWatch {

    enum Verdict {
        /** Nothing to do. */
        FINE,
        /** Send a status report that asks the server for a reply. */
        ASK_FOR_REPLY,
        /** Nothing came in for the whole timeout: give the connection up. */
        DEAD
    }

    private final Duration timeout;
    private final long timeoutNanos;
    private long heardAt;
    private boolean asked;

    ReceiveWatch(Duration timeout, long now) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.heardAt = now;
    }

    /** A message arrived. */
    void heard(long now) {
        heardAt = now;
        asked = false;
    }

    /** The client did not read (back-pressure): silence until now is not the server's. */
    void resumedReading(long now) {
        heardAt = now;
    }

    /** What a read that found nothing calls for. */
    Verdict afterEmptyRead(long now) {
        long silent = now - heardAt;
        if (silent >= timeoutNanos) {
            return Verdict.DEAD;
        }
        if (!asked && silent >= timeoutNanos / 2) {
            asked = true;
            return Verdict.ASK_FOR_REPLY;
        }
        return Verdict.FINE;
    }

    /** The failure that ends a dead connection; SQLSTATE 08006, so the session reconnects. */
    SQLException deadConnection(long now) {
        return new SQLException(
                "No message from the server for "
                        + TimeUnit.NANOSECONDS.toMillis(now - heardAt)
                        + " ms, not even an answer to a reply request (receive timeout "
                        + timeout.toMillis()
                        + " ms): the connection is presumed dead",
                "08006");
    }
}
