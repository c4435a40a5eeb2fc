package io.pgwalstream.types;

/** Small helpers for ASCII text held in byte arrays. */
public final class Ascii {

    private Ascii() {}

    public static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** Whether the bytes at {@code off} start with the ASCII text {@code s}. */
    public static boolean regionEquals(byte[] b, int off, String s) {
        if (off + s.length() > b.length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[off + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Like {@link #regionEquals} but ASCII case-insensitive. */
    public static boolean regionEqualsIgnoreCase(byte[] b, int off, int len, String s) {
        if (len != s.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            int c = b[off + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            int d = s.charAt(i);
            if (d >= 'A' && d <= 'Z') {
                d += 32;
            }
            if (c != d) {
                return false;
            }
        }
        return true;
    }

    /** PostgreSQL's {@code isspace} for ASCII: space, \t, \n, \v, \f, \r. */
    public static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /**
     * Parses an optionally signed decimal integer. Throws {@link IllegalArgumentException} when the
     * bytes are not one or when the value is outside the range of {@code long}.
     */
    public static long parseLong(byte[] b, int off, int len) {
        if (len <= 0) {
            throw new IllegalArgumentException("empty integer");
        }
        int p = off;
        int end = off + len;
        boolean negative = false;
        if (b[p] == '-' || b[p] == '+') {
            negative = b[p] == '-';
            p++;
            if (p == end) {
                throw new IllegalArgumentException("malformed integer");
            }
        }
        // Accumulate negatively so that Long.MIN_VALUE parses.
        long result = 0;
        for (; p < end; p++) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                throw new IllegalArgumentException("malformed integer");
            }
            if (result < (Long.MIN_VALUE + d) / 10) {
                throw new IllegalArgumentException("integer out of range");
            }
            result = result * 10 - d;
        }
        if (!negative) {
            if (result == Long.MIN_VALUE) {
                throw new IllegalArgumentException("integer out of range");
            }
            result = -result;
        }
        return result;
    }

    /** Parses an unsigned decimal integer up to 2^64-1, returned as its two's complement. */
    public static long parseUnsignedLong(byte[] b, int off, int len) {
        if (len <= 0 || len > 20) {
            throw new IllegalArgumentException("malformed unsigned integer");
        }
        long result = 0;
        for (int p = off; p < off + len; p++) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                throw new IllegalArgumentException("malformed unsigned integer");
            }
            long next = result * 10 + d;
            if (Long.compareUnsigned(result, 0x1999_9999_9999_9999L) > 0
                    || Long.compareUnsigned(next, result * 10) < 0) {
                throw new IllegalArgumentException("unsigned integer out of range");
            }
            result = next;
        }
        return result;
    }
}
