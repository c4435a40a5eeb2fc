package io.pgwalstream.types;

/**
 * {@code bytea} in its text forms: hex ({@code \x0a0b}, PostgreSQL's default output since 9.0) or
 * the older escape format ({@code a\\b\001}). The binary form is the bytes themselves.
 */
public final class PgBytea {

    private PgBytea() {}

    /**
     * Parses a text bytea into a new array.
     *
     * @throws IllegalArgumentException if the text is neither valid hex nor valid escape format
     */
    public static byte[] parseText(byte[] b, int off, int len) {
        if (len >= 2 && b[off] == '\\' && b[off + 1] == 'x') {
            return hex(b, off + 2, len - 2);
        }
        return escaped(b, off, len);
    }

    private static byte[] hex(byte[] b, int off, int len) {
        if ((len & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] out = new byte[len / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((nibble(b[off + 2 * i]) << 4) | nibble(b[off + 2 * i + 1]));
        }
        return out;
    }

    private static int nibble(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw new IllegalArgumentException("invalid hex digit");
    }

    /** The pre-9.0 escape format: {@code \\} is a backslash, {@code \ooo} an octal byte. */
    private static byte[] escaped(byte[] b, int off, int len) {
        int n = 0;
        for (int i = off; i < off + len; n++) {
            if (b[i] != '\\') {
                i++;
            } else if (i + 1 < off + len && b[i + 1] == '\\') {
                i += 2;
            } else if (i + 3 < off + len
                    && isOctal(b[i + 1])
                    && isOctal(b[i + 2])
                    && isOctal(b[i + 3])) {
                i += 4;
            } else {
                throw new IllegalArgumentException("invalid escape in bytea");
            }
        }
        byte[] out = new byte[n];
        int k = 0;
        for (int i = off; i < off + len; ) {
            if (b[i] != '\\') {
                out[k++] = b[i++];
            } else if (b[i + 1] == '\\') {
                out[k++] = '\\';
                i += 2;
            } else {
                out[k++] =
                        (byte)
                                (((b[i + 1] - '0') << 6)
                                        | ((b[i + 2] - '0') << 3)
                                        | (b[i + 3] - '0'));
                i += 4;
            }
        }
        return out;
    }

    private static boolean isOctal(byte c) {
        return c >= '0' && c <= '7';
    }
}
