package io.pgwalstream.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big-endian access to byte arrays. The view handles compile to single loads and stores; callers
 * check bounds first so that the handles' own checks never fire.
 */
final class BigEndian {

    private static final VarHandle SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private BigEndian() {}

    static int getUnsignedShort(byte[] buf, int offset) {
        return Short.toUnsignedInt((short) SHORT.get(buf, offset));
    }

    static int getInt(byte[] buf, int offset) {
        return (int) INT.get(buf, offset);
    }

    static long getLong(byte[] buf, int offset) {
        return (long) LONG.get(buf, offset);
    }

    static void putInt(byte[] buf, int offset, int value) {
        INT.set(buf, offset, value);
    }

    static void putLong(byte[] buf, int offset, long value) {
        LONG.set(buf, offset, value);
    }
}
