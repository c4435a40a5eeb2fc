package io.pgwalstream.types;

import java.util.Arrays;

/**
 * A growable byte buffer for building PostgreSQL text forms (ASCII and UTF-8 bytes) without going
 * through {@link String}. One instance per converter, reused for every value: {@link #reset()}
 * before use, {@link #toByteArray()} for an exactly sized copy. Not thread-safe.
 */
public final class ByteSink {

    private static final byte[] DIGITS =
            "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] buf;
    private int len;

    public ByteSink() {
        this(64);
    }

    public ByteSink(int capacity) {
        this.buf = new byte[Math.max(16, capacity)];
    }

    public ByteSink reset() {
        len = 0;
        return this;
    }

    public int length() {
        return len;
    }

    public byte[] array() {
        return buf;
    }

    public byte byteAt(int index) {
        return buf[index];
    }

    public void setLength(int newLength) {
        len = newLength;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    public ByteSink append(byte b) {
        ensure(1);
        buf[len++] = b;
        return this;
    }

    public ByteSink append(char c) {
        return append((byte) c);
    }

    public ByteSink append(byte[] src, int off, int n) {
        ensure(n);
        System.arraycopy(src, off, buf, len, n);
        len += n;
        return this;
    }

    /** Appends ASCII text. */
    public ByteSink append(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    /** Appends a signed decimal integer. */
    public ByteSink appendLong(long v) {
        if (v == Long.MIN_VALUE) {
            return append("-9223372036854775808");
        }
        if (v < 0) {
            append('-');
            v = -v;
        }
        return appendUnsignedDecimal(v, 1);
    }

    /** Appends a non-negative integer zero-padded to at least {@code width} digits. */
    public ByteSink appendPadded(long v, int width) {
        return appendUnsignedDecimal(v, width);
    }

    /** Appends an unsigned 64-bit integer in decimal. */
    public ByteSink appendUnsigned(long v) {
        if (v >= 0) {
            return appendUnsignedDecimal(v, 1);
        }
        long q = (v >>> 1) / 5;
        long r = v - q * 10;
        appendUnsignedDecimal(q, 1);
        return append((byte) ('0' + r));
    }

    private ByteSink appendUnsignedDecimal(long v, int width) {
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int total = Math.max(digits, width);
        ensure(total);
        int end = len + total;
        int p = end;
        do {
            buf[--p] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        while (p > len) {
            buf[--p] = '0';
        }
        len = end;
        return this;
    }

    /** Appends {@code v} in lowercase hexadecimal without leading zeros. */
    public ByteSink appendHex(long v) {
        int shift = 60;
        while (shift > 0 && ((v >>> shift) & 0xF) == 0) {
            shift -= 4;
        }
        ensure(16);
        for (; shift >= 0; shift -= 4) {
            buf[len++] = DIGITS[(int) ((v >>> shift) & 0xF)];
        }
        return this;
    }

    /** Appends the uppercase hexadecimal form of {@code v} without leading zeros. */
    public ByteSink appendHexUpper(long v) {
        int start = len;
        appendHex(v);
        for (int i = start; i < len; i++) {
            if (buf[i] >= 'a') {
                buf[i] = (byte) (buf[i] - 32);
            }
        }
        return this;
    }

    /** Appends one byte as two lowercase hexadecimal digits. */
    public ByteSink appendHexByte(int b) {
        ensure(2);
        buf[len++] = DIGITS[(b >> 4) & 0xF];
        buf[len++] = DIGITS[b & 0xF];
        return this;
    }

    /** Appends the fraction of a second ({@code micros} in 0..999999) without trailing zeros. */
    public ByteSink appendMicrosFraction(int micros) {
        if (micros == 0) {
            return this;
        }
        int digits = 6;
        while (micros % 10 == 0) {
            micros /= 10;
            digits--;
        }
        append('.');
        return appendPadded(micros, digits);
    }
}
