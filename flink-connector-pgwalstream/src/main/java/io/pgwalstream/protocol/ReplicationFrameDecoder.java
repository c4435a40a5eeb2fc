package io.pgwalstream.protocol;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Decodes server-to-client CopyData payloads of a replication connection into {@link
 * ReplicationFrame}s. Stateless and thread-safe.
 */
public final class ReplicationFrameDecoder {

    private ReplicationFrameDecoder() {}

    public static ReplicationFrame decode(byte[] buf) {
        return decode(buf, 0, buf.length);
    }

    /**
     * Decodes the bytes from the buffer's position to its limit without moving the position. Heap
     * buffers are viewed in place; direct and read-only buffers are copied once.
     */
    public static ReplicationFrame decode(ByteBuffer buf) {
        if (buf.hasArray()) {
            return decode(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
        }
        byte[] copy = new byte[buf.remaining()];
        buf.duplicate().get(copy);
        return decode(copy, 0, copy.length);
    }

    /**
     * Decodes one CopyData payload of {@code length} bytes at {@code offset}. An XLogData payload
     * is a view into {@code buf}.
     *
     * @throws ProtocolDecodingException for an empty, truncated or unknown frame
     * @throws IndexOutOfBoundsException if offset and length do not lie within {@code buf}
     */
    public static ReplicationFrame decode(byte[] buf, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buf.length);
        if (length == 0) {
            throw new ProtocolDecodingException(
                    "empty CopyData message", ProtocolDecodingException.NO_TAG, 0, 0L);
        }
        int tag = buf[offset] & 0xFF;
        switch (tag) {
            case XLogData.TAG:
                requireLength(tag, length, XLogData.HEADER_LENGTH, "XLogData header");
                return new XLogData(
                        BigEndian.getLong(buf, offset + 1),
                        BigEndian.getLong(buf, offset + 9),
                        BigEndian.getLong(buf, offset + 17),
                        buf,
                        offset + XLogData.HEADER_LENGTH,
                        length - XLogData.HEADER_LENGTH);
            case PrimaryKeepalive.TAG:
                // Longer keepalives are tolerated, as PostgreSQL's own clients do.
                requireLength(tag, length, PrimaryKeepalive.LENGTH, "keepalive");
                return new PrimaryKeepalive(
                        BigEndian.getLong(buf, offset + 1),
                        BigEndian.getLong(buf, offset + 9),
                        buf[offset + 17] != 0);
            default:
                throw new ProtocolDecodingException("unknown CopyBoth frame tag", tag, 0, 0L);
        }
    }

    private static void requireLength(int tag, int length, int needed, String what) {
        if (length < needed) {
            // Both layouts start with Int64 fields at 1, 9, 17: report the first that does not fit.
            int failedField = 1 + 8 * ((length - 1) / 8);
            throw new ProtocolDecodingException(
                    "truncated " + what + ": needs " + needed + " bytes, got " + length,
                    tag,
                    failedField,
                    0L);
        }
    }
}
