package io.pgwalstream.types;

/** Big-endian reads of the fixed-width fields in PostgreSQL's binary send formats. */
public final class BinaryReads {

    private BinaryReads() {}

    public static int int16(byte[] b, int off) {
        return (short) (((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF));
    }

    public static int uint16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    public static int int32(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24)
                | ((b[off + 1] & 0xFF) << 16)
                | ((b[off + 2] & 0xFF) << 8)
                | (b[off + 3] & 0xFF);
    }

    public static long uint32(byte[] b, int off) {
        return int32(b, off) & 0xFFFF_FFFFL;
    }

    public static long int64(byte[] b, int off) {
        return ((long) int32(b, off) << 32) | (int32(b, off + 4) & 0xFFFF_FFFFL);
    }

    /** Throws unless {@code len} equals {@code expected}. */
    public static void expectLength(int len, int expected, String type) {
        if (len != expected) {
            throw new IllegalArgumentException(
                    "binary " + type + " must be " + expected + " bytes, got " + len);
        }
    }

    /** Throws unless {@code [off, off + need)} lies within {@code [.., end)}. */
    public static void need(int off, int need, int end, String what) {
        if (need < 0 || off + need > end || off + need < off) {
            throw new IllegalArgumentException("truncated " + what);
        }
    }
}
