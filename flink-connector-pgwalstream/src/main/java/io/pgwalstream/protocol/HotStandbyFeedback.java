package io.pgwalstream.protocol;

import java.util.Objects;

/**
 * {@code 'h'}: hot-standby feedback for physical replication, holding back the server's xmin. All
 * xids zero asks the server to stop honouring earlier feedback.
 *
 * @param clientTime client time, PostgreSQL microseconds
 * @param xmin the standby's oldest xmin
 * @param xminEpoch epoch of {@code xmin}
 * @param catalogXmin the oldest catalog xmin of the standby's slots
 * @param catalogXminEpoch epoch of {@code catalogXmin}
 */
public record HotStandbyFeedback(
        long clientTime, int xmin, int xminEpoch, int catalogXmin, int catalogXminEpoch)
        implements StandbyMessage {

    public static final byte TAG = 'h';

    /** Tag, one Int64 and four Int32. */
    public static final int LENGTH = 1 + 8 + 4 + 4 + 4 + 4;

    /** Feedback that releases any xmin held for this standby. */
    public static HotStandbyFeedback stop(long clientTime) {
        return new HotStandbyFeedback(clientTime, 0, 0, 0, 0);
    }

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
        BigEndian.putLong(dst, offset + 1, clientTime);
        BigEndian.putInt(dst, offset + 9, xmin);
        BigEndian.putInt(dst, offset + 13, xminEpoch);
        BigEndian.putInt(dst, offset + 17, catalogXmin);
        BigEndian.putInt(dst, offset + 21, catalogXminEpoch);
        return LENGTH;
    }
}
