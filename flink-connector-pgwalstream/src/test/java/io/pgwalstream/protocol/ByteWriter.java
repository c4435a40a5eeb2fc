package io.pgwalstream.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable big-endian byte sink for building protocol bytes in tests. */
public final class ByteWriter {

    private byte[] bytes = new byte[64];
    private int size;

    public ByteWriter u8(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
        return this;
    }

    public ByteWriter i16(int value) {
        return u8(value >>> 8).u8(value);
    }

    public ByteWriter i32(int value) {
        return i16(value >>> 16).i16(value);
    }

    public ByteWriter i64(long value) {
        return i32((int) (value >>> 32)).i32((int) value);
    }

    /** A NUL-terminated UTF-8 string, as pgoutput sends names. */
    public ByteWriter cstring(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8)).u8(0);
    }

    public ByteWriter bytes(byte[] value) {
        return bytes(value, 0, value.length);
    }

    public ByteWriter bytes(byte[] value, int offset, int length) {
        ensure(length);
        System.arraycopy(value, offset, bytes, size, length);
        size += length;
        return this;
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
