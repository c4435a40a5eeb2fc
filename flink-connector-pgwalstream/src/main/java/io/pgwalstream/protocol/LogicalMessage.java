package io.pgwalstream.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code 'M'}: a message written with {@code pg_logical_emit_message} (only with {@code
 * messages=true}). Transactional ones arrive inside their transaction; the others immediately, even
 * if the writing transaction later aborts.
 *
 * <p>The content is a view into the message buffer; equality compares the content bytes.
 *
 * @param xid the streamed (sub)transaction inside a stream block, else {@link #NO_XID}
 * @param flags raw flags; bit {@link #TRANSACTIONAL} is the only one defined
 * @param messageLsn LSN of the message record
 * @param prefix the prefix given by the writer
 * @param buffer the array holding the content
 * @param contentOffset offset of the content in {@code buffer}
 * @param contentLength length of the content
 */
public record LogicalMessage(
        int xid,
        int flags,
        long messageLsn,
        String prefix,
        byte[] buffer,
        int contentOffset,
        int contentLength)
        implements StreamableMessage {

    public static final byte TAG = 'M';

    /** Flag bit: the message belongs to its transaction. */
    public static final int TRANSACTIONAL = 1;

    public LogicalMessage {
        Objects.requireNonNull(prefix, "prefix");
        Objects.checkFromIndexSize(contentOffset, contentLength, buffer.length);
    }

    public boolean transactional() {
        return (flags & TRANSACTIONAL) != 0;
    }

    /** A read-only view of the content. */
    public ByteBuffer content() {
        return ByteBuffer.wrap(buffer, contentOffset, contentLength).slice().asReadOnlyBuffer();
    }

    public byte[] contentCopy() {
        return Arrays.copyOfRange(buffer, contentOffset, contentOffset + contentLength);
    }

    /** The content as UTF-8; for tests and debugging. */
    public String contentAsString() {
        return new String(buffer, contentOffset, contentLength, StandardCharsets.UTF_8);
    }

    @Override
    public byte tag() {
        return TAG;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LogicalMessage)) {
            return false;
        }
        LogicalMessage other = (LogicalMessage) o;
        return xid == other.xid
                && flags == other.flags
                && messageLsn == other.messageLsn
                && prefix.equals(other.prefix)
                && Arrays.equals(
                        buffer,
                        contentOffset,
                        contentOffset + contentLength,
                        other.buffer,
                        other.contentOffset,
                        other.contentOffset + other.contentLength);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(xid, flags, messageLsn, prefix);
        for (int i = contentOffset; i < contentOffset + contentLength; i++) {
            h = 31 * h + buffer[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "LogicalMessage[xid="
                + Integer.toUnsignedString(xid)
                + ", flags="
                + flags
                + ", messageLsn="
                + Lsn.format(messageLsn)
                + ", prefix="
                + prefix
                + ", contentLength="
                + contentLength
                + ']';
    }
}
