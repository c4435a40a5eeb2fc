package io.pgwalstream.replication;

import java.time.Duration;

/**
 * The consumer's side of a replication session. Messages are produced by the session's own I/O
 * thread; the consumer takes them at its pace. A consumer that stops taking never costs the
 * connection: the I/O thread stops reading but keeps the walsender alive.
 */
public interface ReplicationStream extends AutoCloseable {

    /**
     * Hands up to {@code maxMessages} received messages to {@code sink}, waiting up to {@code
     * timeout} for the first one.
     *
     * @return the number of messages handed over (session starts not counted)
     * @throws ReplicationException once everything received before the failure was handed over,
     *     when the session failed permanently or its I/O thread died
     */
    int poll(MessageSink sink, int maxMessages, Duration timeout) throws InterruptedException;

    /** Where the consumer reports what may be confirmed to the server. */
    LsnFeedback feedback();

    /** A snapshot of the session's progress, for metrics and logs. */
    SessionStatus status();

    /** Stops the I/O thread and closes the connection, after a last status update. */
    @Override
    void close();
}
