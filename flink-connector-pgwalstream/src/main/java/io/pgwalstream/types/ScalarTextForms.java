package io.pgwalstream.types;

/**
 * Text forms of scalar binary values, as PostgreSQL's output functions print them: booleans,
 * numbers, {@code "char"}, bytea, uuid, money (C locale), timetz, network addresses, bit strings,
 * geometric types, tsvector, snapshots and int2vector/oidvector. Each method reads one binary value
 * and appends its text to a {@link ByteSink}, throwing {@link IllegalArgumentException} for
 * malformed bytes. {@link PgTextForms} picks them by type.
 */
public final class ScalarTextForms {

    private ScalarTextForms() {}

    public static double float8(byte[] b, int off) {
        return Double.longBitsToDouble(BinaryReads.int64(b, off));
    }

    public static void copy(byte[] b, int off, int len, ByteSink out) {
        out.append(b, off, len);
    }

    public static void bool(byte[] b, int off, int len, ByteSink out) {
        BinaryReads.expectLength(len, 1, "bool");
        out.append(b[off] != 0 ? 't' : 'f');
    }

    /**
     * {@code "char"}: one byte; bytes with the high bit set print as a backslash and 3 octal
     * digits.
     */
    public static void internalChar(byte[] b, int off, int len, ByteSink out) {
        if (len > 1) {
            throw new IllegalArgumentException("binary \"char\" must be at most 1 byte");
        }
        if (len == 0 || b[off] == 0) {
            return;
        }
        int c = b[off] & 0xFF;
        if (c >= 0x80) {
            out.append('\\')
                    .append((char) ('0' + ((c >> 6) & 7)))
                    .append((char) ('0' + ((c >> 3) & 7)))
                    .append((char) ('0' + (c & 7)));
        } else {
            out.append((byte) c);
        }
    }

    /** jsonb and jsonpath: a version byte (1) followed by the text. */
    public static void versionedText(byte[] b, int off, int len, ByteSink out) {
        if (len < 1 || b[off] != 1) {
            throw new IllegalArgumentException(
                    "unsupported binary format version " + (len < 1 ? "(none)" : b[off]));
        }
        out.append(b, off + 1, len - 1);
    }

    public static void bytea(byte[] b, int off, int len, ByteSink out) {
        out.append('\\').append('x');
        for (int i = 0; i < len; i++) {
            out.appendHexByte(b[off + i]);
        }
    }

    public static void uuid(byte[] b, int off, int len, ByteSink out) {
        BinaryReads.expectLength(len, 16, "uuid");
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                out.append('-');
            }
            out.appendHexByte(b[off + i]);
        }
    }

    /** money as printed in the C locale: {@code $1,234.56}, {@code -$1,234.56}. */
    public static void money(byte[] b, int off, int len, ByteSink out) {
        BinaryReads.expectLength(len, 8, "money");
        long cents = BinaryReads.int64(b, off);
        if (cents < 0) {
            out.append('-');
        }
        out.append('$');
        // Unsigned magnitude so that Long.MIN_VALUE works.
        long magnitude = cents < 0 ? -cents : cents;
        long units = Long.divideUnsigned(magnitude, 100);
        long fraction = Long.remainderUnsigned(magnitude, 100);
        ByteSink digits = new ByteSink(24).appendUnsigned(units);
        int n = digits.length();
        for (int i = 0; i < n; i++) {
            if (i > 0 && (n - i) % 3 == 0) {
                out.append(',');
            }
            out.append(digits.byteAt(i));
        }
        out.append('.').appendPadded(fraction, 2);
    }

    public static void timetz(byte[] b, int off, int len, ByteSink out) {
        BinaryReads.expectLength(len, 12, "timetz");
        PgDateTimes.formatTime(BinaryReads.int64(b, off), out);
        // The wire carries seconds west of UTC.
        PgDateTimes.formatOffset(-BinaryReads.int32(b, off + 8), out);
    }

    /** inet/cidr: family (2 = IPv4, 3 = IPv6), bits, is_cidr, address length, address. */
    public static void inet(byte[] b, int off, int len, ByteSink out) {
        if (len < 4) {
            throw new IllegalArgumentException("binary inet shorter than 4 bytes");
        }
        int family = b[off];
        int bits = b[off + 1] & 0xFF;
        boolean cidr = b[off + 2] != 0;
        int n = b[off + 3] & 0xFF;
        int addr = off + 4;
        if (family == 2 && n == 4 && len == 8 && bits <= 32) {
            for (int i = 0; i < 4; i++) {
                if (i > 0) {
                    out.append('.');
                }
                out.appendLong(b[addr + i] & 0xFF);
            }
            if (bits != 32 || cidr) {
                out.append('/').appendLong(bits);
            }
        } else if (family == 3 && n == 16 && len == 20 && bits <= 128) {
            ipv6(b, addr, out);
            if (bits != 128 || cidr) {
                out.append('/').appendLong(bits);
            }
        } else {
            throw new IllegalArgumentException(
                    "invalid binary inet (family " + family + ", " + n + " address bytes)");
        }
    }

    /**
     * IPv6 as PostgreSQL prints it: lowercase hex words, the longest run of at least two zero words
     * as {@code ::} (the first of equally long runs), and an embedded IPv4 address for
     * IPv4-compatible and IPv4-mapped addresses.
     */
    public static void ipv6(byte[] b, int addr, ByteSink out) {
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = BinaryReads.uint16(b, addr + 2 * i);
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (words[i] == 0) {
                if (curBase == -1) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase != -1) {
                if (bestBase == -1 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase != -1 && bestLen < 2) {
            bestBase = -1;
        }
        for (int i = 0; i < 8; i++) {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    out.append(':');
                }
                continue;
            }
            if (i != 0) {
                out.append(':');
            }
            boolean embeddedIpv4 =
                    i == 6
                            && bestBase == 0
                            && (bestLen == 6
                                    || (bestLen == 7 && words[7] != 0x0001)
                                    || (bestLen == 5 && words[5] == 0xffff));
            if (embeddedIpv4) {
                for (int k = 12; k < 16; k++) {
                    if (k > 12) {
                        out.append('.');
                    }
                    out.appendLong(b[addr + k] & 0xFF);
                }
                return;
            }
            out.appendHex(words[i]);
        }
        if (bestBase != -1 && bestBase + bestLen == 8) {
            out.append(':');
        }
    }

    public static void mac(byte[] b, int off, int len, int size, ByteSink out) {
        BinaryReads.expectLength(len, size, size == 6 ? "macaddr" : "macaddr8");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                out.append(':');
            }
            out.appendHexByte(b[off + i]);
        }
    }

    /** bit/varbit: Int32 bit count, then the bits, most significant first. */
    public static void bits(byte[] b, int off, int len, ByteSink out) {
        if (len < 4) {
            throw new IllegalArgumentException("binary bit string shorter than 4 bytes");
        }
        int n = BinaryReads.int32(b, off);
        if (n < 0 || len != 4 + (int) ((n + 7L) / 8)) {
            throw new IllegalArgumentException(
                    "binary bit string of " + n + " bits is " + len + " bytes");
        }
        for (int i = 0; i < n; i++) {
            int bit = (b[off + 4 + (i >> 3)] >> (7 - (i & 7))) & 1;
            out.append(bit == 1 ? '1' : '0');
        }
    }

    public static void point(byte[] b, int off, ByteSink out) {
        out.append('(');
        PgFloats.formatDouble(float8(b, off), out);
        out.append(',');
        PgFloats.formatDouble(float8(b, off + 8), out);
        out.append(')');
    }

    public static void points(byte[] b, int off, int npts, ByteSink out) {
        for (int i = 0; i < npts; i++) {
            if (i > 0) {
                out.append(',');
            }
            point(b, off + 16 * i, out);
        }
    }

    /**
     * path: Int8 closed, Int32 npts, points; {@code ((…))} when closed, {@code [(…)]} when open.
     */
    public static void path(byte[] b, int off, int len, ByteSink out) {
        if (len < 5) {
            throw new IllegalArgumentException("binary path shorter than 5 bytes");
        }
        boolean closed = b[off] != 0;
        int npts = BinaryReads.int32(b, off + 1);
        if (npts < 0 || len != 5 + 16L * npts) {
            throw new IllegalArgumentException(
                    "binary path of " + npts + " points is " + len + " bytes");
        }
        out.append(closed ? '(' : '[');
        points(b, off + 5, npts, out);
        out.append(closed ? ')' : ']');
    }

    /** polygon: Int32 npts, points; printed as {@code ((x,y),…)}. */
    public static void polygon(byte[] b, int off, int len, ByteSink out) {
        if (len < 4) {
            throw new IllegalArgumentException("binary polygon shorter than 4 bytes");
        }
        int npts = BinaryReads.int32(b, off);
        if (npts < 0 || len != 4 + 16L * npts) {
            throw new IllegalArgumentException(
                    "binary polygon of " + npts + " points is " + len + " bytes");
        }
        out.append('(');
        points(b, off + 4, npts, out);
        out.append(')');
    }

    /**
     * tsvector: Int32 count, then per lexeme its NUL-terminated text, UInt16 number of positions
     * and UInt16 positions (weight in the top two bits). Printed as {@code 'a':1A 'b''s':2,3B}.
     */
    public static void tsvector(byte[] b, int off, int len, ByteSink out) {
        int end = off + len;
        BinaryReads.need(off, 4, end, "tsvector");
        int count = BinaryReads.int32(b, off);
        if (count < 0) {
            throw new IllegalArgumentException("negative tsvector size");
        }
        int p = off + 4;
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append('\'');
            while (true) {
                BinaryReads.need(p, 1, end, "tsvector lexeme");
                byte c = b[p++];
                if (c == 0) {
                    break;
                }
                if (c == '\'' || c == '\\') {
                    out.append(c);
                }
                out.append(c);
            }
            out.append('\'');
            BinaryReads.need(p, 2, end, "tsvector positions");
            int npos = BinaryReads.uint16(b, p);
            p += 2;
            BinaryReads.need(p, 2 * npos, end, "tsvector positions");
            for (int k = 0; k < npos; k++) {
                int pos = BinaryReads.uint16(b, p);
                p += 2;
                out.append(k == 0 ? ':' : ',').appendLong(pos & 0x3FFF);
                switch (pos >>> 14) {
                    case 3:
                        out.append('A');
                        break;
                    case 2:
                        out.append('B');
                        break;
                    case 1:
                        out.append('C');
                        break;
                    default:
                        break;
                }
            }
        }
        if (p != end) {
            throw new IllegalArgumentException("trailing bytes after tsvector");
        }
    }

    /** txid_snapshot/pg_snapshot: Int32 nxip, Int64 xmin, Int64 xmax, Int64[nxip] xip. */
    public static void snapshot(byte[] b, int off, int len, ByteSink out) {
        if (len < 20) {
            throw new IllegalArgumentException("binary snapshot shorter than 20 bytes");
        }
        int nxip = BinaryReads.int32(b, off);
        if (nxip < 0 || len != 20 + 8L * nxip) {
            throw new IllegalArgumentException(
                    "binary snapshot of " + nxip + " xids is " + len + " bytes");
        }
        out.appendUnsigned(BinaryReads.int64(b, off + 4))
                .append(':')
                .appendUnsigned(BinaryReads.int64(b, off + 12))
                .append(':');
        for (int i = 0; i < nxip; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.appendUnsigned(BinaryReads.int64(b, off + 20 + 8 * i));
        }
    }

    /** int2vector/oidvector: sent as a one-dimensional array, printed space-separated. */
    public static void vector(byte[] b, int off, int len, PgBuiltinType element, ByteSink out) {
        BinaryArray array = BinaryArray.read(b, off, len);
        if (array.ndim > 1 || array.hasNulls) {
            throw new IllegalArgumentException("a vector must be one-dimensional without NULLs");
        }
        PgTextForms.Formatter f = PgTextForms.builtin(element);
        int p = array.dataOffset;
        for (int i = 0; i < array.count; i++) {
            int elemLen = BinaryReads.int32(b, p);
            if (i > 0) {
                out.append(' ');
            }
            f.format(b, p + 4, elemLen, out);
            p += 4 + elemLen;
        }
    }
}
