package io.pgwalstream.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code 'w'}: WAL data. In logical replication the payload is exactly one pgoutput message and
 * {@code dataStart == walEnd} is the LSN of the decoded record, or 0 for messages that are not the
 * last write of a record (Relation, Type, …). Never use {@code dataStart} as a resume position.
 *
 * <p>The payload is a view into the frame buffer; equality compares the payload bytes.
 *
 * @param dataStart WAL start of the data, raw LSN
 * @param walEnd the server's current WAL end, raw LSN
 * @param sendTime server time of sending, PostgreSQL microseconds
 * @param buffer the array holding the payload
 * @param payloadOffset offset of the payload in {@code buffer}
 * @param payloadLength payload length
 */
public record XLogData(
        long dataStart,
        long walEnd,
        long sendTime,
        byte[] buffer,
        int payloadOffset,
        int payloadLength)
        implements ReplicationFrame {

    public static final byte TAG = 'w';

    /** Tag plus the three Int64 fields. */
    public static final int HEADER_LENGTH = 1 + 8 + 8 + 8;

    public XLogData {
        Objects.checkFromIndexSize(payloadOffset, payloadLength, buffer.length);
    }

    /** A read-only view of the payload. */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(buffer, payloadOffset, payloadLength).slice().asReadOnlyBuffer();
    }

    public byte[] payloadCopy() {
        return Arrays.copyOfRange(buffer, payloadOffset, payloadOffset + payloadLength);
    }

    @Override
    public byte tag() {
        return TAG;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof XLogData)) {
            return false;
        }
        XLogData other = (XLogData) o;
        return dataStart == other.dataStart
                && walEnd == other.walEnd
                && sendTime == other.sendTime
                && Arrays.equals(
                        buffer,
                        payloadOffset,
                        payloadOffset + payloadLength,
                        other.buffer,
                        other.payloadOffset,
                        other.payloadOffset + other.payloadLength);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(dataStart, walEnd, sendTime);
        for (int i = payloadOffset; i < payloadOffset + payloadLength; i++) {
            h = 31 * h + buffer[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "XLogData[dataStart="
                + Lsn.format(dataStart)
                + ", walEnd="
                + Lsn.format(walEnd)
                + ", sendTime="
                + sendTime
                + ", payloadLength="
                + payloadLength
                + ']';
    }
}
