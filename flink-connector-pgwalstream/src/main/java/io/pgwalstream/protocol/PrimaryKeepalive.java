package io.pgwalstream.protocol;

/**
 * {@code 'k'}: the server's keepalive. Answer promptly with a status update when {@code
 * replyRequested} is set, or the walsender times out.
 *
 * @param walEnd the server's WAL end (logical: end of the last record decoded), raw LSN
 * @param sendTime server time of sending, PostgreSQL microseconds
 * @param replyRequested whether the server wants a status update now
 */
public record PrimaryKeepalive(long walEnd, long sendTime, boolean replyRequested)
        implements ReplicationFrame {

    public static final byte TAG = 'k';

    /** Tag, two Int64 and one Byte1. */
    public static final int LENGTH = 1 + 8 + 8 + 1;

    @Override
    public byte tag() {
        return TAG;
    }
}
