package io.pgwalstream.replication;

import java.io.Serializable;
import java.time.Duration;

/**
 * Tuning of a replication session's I/O thread.
 *
 * @param bufferMessages how many received messages may wait for the consumer
 * @param bufferBytes how many bytes of received messages may wait for the consumer
 * @param readTimeout how long one socket read may block; bounds how late the I/O thread notices a
 *     new flush LSN or a close while the server is idle
 * @param handshakeTimeout socket timeout while connecting and starting replication (the server may
 *     read a lot of WAL before it answers START_REPLICATION)
 * @param receiveLinger how long a replication connection waits before reading the socket again
 *     after a read that found only a trickle waiting (see {@link ReadCoalescingSocketFactory});
 *     zero reads again at once. A walsender flushes every message of a small transaction on its
 *     own: without the wait a reader that keeps up pays a read and a consumer wake-up per message.
 *     Adds at most this much latency; never slows a stream below the server's rate.
 * @param slotReleaseWait how long the first connection retries while the slot is held by another
 *     walsender (SQLSTATE 55006), typically the one of the task this one replaces, until the server
 *     notices that its connection is gone; a slot still held after that is a real second consumer
 *     and fails the session
 * @param receiveTimeout how long the connection may bring nothing at all before it is presumed dead
 *     and replaced (as PostgreSQL's {@code wal_receiver_timeout}); halfway, the server is asked for
 *     a reply, so an idle but healthy stream never reaches it. {@link Duration#ZERO}: the server's
 *     {@code wal_sender_timeout}, or 60 s when that is off. A network that drops packets without
 *     closing the connection is noticed after this long instead of TCP's many minutes.
 */
public record SessionSettings(
        int bufferMessages,
        long bufferBytes,
        Duration readTimeout,
        Duration handshakeTimeout,
        Duration receiveLinger,
        Duration slotReleaseWait,
        Duration receiveTimeout)
        implements Serializable {

    /** The receive timeout when neither the user nor the server sets one. */
    static final Duration FALLBACK_RECEIVE_TIMEOUT = Duration.ofSeconds(60);

    public static final SessionSettings DEFAULT =
            new SessionSettings(
                    16_384,
                    64L * 1024 * 1024,
                    Duration.ofMillis(200),
                    Duration.ofMinutes(5),
                    Duration.ofMillis(1),
                    Duration.ofSeconds(60),
                    Duration.ZERO);

    public SessionSettings {
        if (bufferMessages < 1 || bufferBytes < 1) {
            throw new IllegalArgumentException("The session buffer must hold at least one message");
        }
        if (readTimeout.toMillis() < 1 || handshakeTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("Session timeouts must be at least 1 ms");
        }
        if (receiveLinger.isNegative() || receiveLinger.compareTo(readTimeout) > 0) {
            throw new IllegalArgumentException(
                    "The receive linger must be between 0 and the read timeout ("
                            + readTimeout.toMillis()
                            + " ms), not "
                            + receiveLinger.toMillis()
                            + " ms");
        }
        if (slotReleaseWait.isNegative()) {
            throw new IllegalArgumentException(
                    "The slot release wait must not be negative, not " + slotReleaseWait);
        }
        if (receiveTimeout.isNegative()
                || (!receiveTimeout.isZero() && receiveTimeout.compareTo(readTimeout) <= 0)) {
            throw new IllegalArgumentException(
                    "The receive timeout must be 0 (the server's wal_sender_timeout) or longer"
                            + " than the read timeout ("
                            + readTimeout.toMillis()
                            + " ms), not "
                            + receiveTimeout.toMillis()
                            + " ms");
        }
    }

    /** The same settings with another receive linger. */
    public SessionSettings withReceiveLinger(Duration linger) {
        return new SessionSettings(
                bufferMessages,
                bufferBytes,
                readTimeout,
                handshakeTimeout,
                linger,
                slotReleaseWait,
                receiveTimeout);
    }

    /** The same settings with another wait for a slot still held by another walsender. */
    public SessionSettings withSlotReleaseWait(Duration wait) {
        return new SessionSettings(
                bufferMessages,
                bufferBytes,
                readTimeout,
                handshakeTimeout,
                receiveLinger,
                wait,
                receiveTimeout);
    }

    /** The same settings with another receive timeout (0: the server's wal_sender_timeout). */
    public SessionSettings withReceiveTimeout(Duration timeout) {
        return new SessionSettings(
                bufferMessages,
                bufferBytes,
                readTimeout,
                handshakeTimeout,
                receiveLinger,
                slotReleaseWait,
                timeout);
    }

    /** The receive timeout actually used, given the server's {@code wal_sender_timeout}. */
    Duration effectiveReceiveTimeout(Duration walSenderTimeout) {
        if (!receiveTimeout.isZero()) {
            return receiveTimeout;
        }
        return walSenderTimeout.isZero() ? FALLBACK_RECEIVE_TIMEOUT : walSenderTimeout;
    }

    /**
     * The status interval actually used: the configured one, shortened to a third of the server's
     * {@code wal_sender_timeout} so that a consumer that takes nothing (the I/O thread then stops
     * reading and cannot see the server's reply requests) never lets the walsender time out.
     */
    static Duration effectiveStatusInterval(Duration configured, Duration walSenderTimeout) {
        if (walSenderTimeout.isZero()) {
            return configured;
        }
        Duration third = walSenderTimeout.dividedBy(3);
        return third.compareTo(configured) < 0 ? third : configured;
    }

    /**
     * Parses a duration as {@code SHOW} prints it: {@code 60s}, {@code 1min}, {@code 500ms}, {@code
     * 0}.
     */
    static Duration parseServerDuration(String text) {
        String t = text.trim();
        int unitStart = 0;
        while (unitStart < t.length() && Character.isDigit(t.charAt(unitStart))) {
            unitStart++;
        }
        if (unitStart == 0) {
            throw new IllegalArgumentException("Not a server duration: '" + text + "'");
        }
        long amount = Long.parseLong(t.substring(0, unitStart));
        switch (t.substring(unitStart).trim()) {
            case "us":
                return Duration.ofNanos(amount * 1000);
            case "ms":
            case "":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "min":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            case "d":
                return Duration.ofDays(amount);
            default:
                throw new IllegalArgumentException(
                        "Unknown unit in server duration '" + text + "'");
        }
    }
}
