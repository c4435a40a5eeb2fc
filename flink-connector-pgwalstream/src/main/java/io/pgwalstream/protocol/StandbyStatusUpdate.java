package io.pgwalstream.protocol;

import java.util.Objects;

/**
 * {@code 'r'}: the client's progress. Each LSN is the last byte received / flushed / applied plus
 * one. Only the flush LSN moves a logical slot's {@code confirmed_flush_lsn}; 0 leaves it alone.
 *
 * @param writeLsn raw LSN written
 * @param flushLsn raw LSN durably processed: the position the slot may release WAL up to
 * @param applyLsn raw LSN applied
 * @param clientTime client time, PostgreSQL microseconds
 * @param replyRequested ask the server to answer with a keepalive at once
 */
public record StandbyStatusUpdate(
        long writeLsn, long flushLsn, long applyLsn, long clientTime, boolean replyRequested)
        implements StandbyMessage {

    public static final byte TAG = 'r';

    /** Tag, four Int64 and one Byte1. */
    public static final int LENGTH = 1 + 8 + 8 + 8 + 8 + 1;

    @Override
    public byte tag() {
        return TAG;
    }

    @Override
    public int encodedLength() {
        return LENGTH;
    }

    @Override
    public int encode(byte[] dst, int offset) {
        Objects.checkFromIndexSize(offset, LENGTH, dst.length);
        dst[offset] = TAG;
        BigEndian.putLong(dst, offset + 1, writeLsn);
        BigEndian.putLong(dst, offset + 9, flushLsn);
        BigEndian.putLong(dst, offset + 17, applyLsn);
        BigEndian.putLong(dst, offset + 25, clientTime);
        dst[offset + 33] = (byte) (replyRequested ? 1 : 0);
        return LENGTH;
    }
}
