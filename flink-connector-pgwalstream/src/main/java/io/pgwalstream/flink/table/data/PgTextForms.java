package io.pgwalstream.flink.table.data;

import javax.annotation.Nullable;

import java.util.HashMap;
import java.util.Map;

/**
 * Renders binary ({@code 'b'}) values in PostgreSQL's text output form, for columns that map to
 * STRING and for the fields and elements of composites, ranges and arrays rendered as text.
 *
 * <p>The output equals what the server would have sent in text mode, with these documented
 * differences: {@code timestamptz} is printed in UTC ({@code +00}) because the session TimeZone is
 * not known here; {@code money} is printed as in the C locale ({@code -$1,234.56}); {@code
 * interval} in the {@code iso_8601} style; {@code reg*} types as their numeric OID (the binary form
 * carries no name). Not renderable: {@code tsquery}, built-in types missing from {@link
 * PgBuiltinType} and user types the {@link PgTypeRegistry} cannot classify; those need text mode.
 *
 * <p>Allocation: formatting works in a {@link ByteSink}; nested values (fields, elements) use a
 * temporary sink each. Not thread-safe.
 */
final class PgTextForms {

    /** Writes the text form of one binary value. */
    interface Formatter {
        void format(byte[] b, int off, int len, ByteSink out);
    }

    private final PgTypeRegistry registry;
    private final Map<Integer, Formatter> byOid = new HashMap<>();

    PgTextForms(PgTypeRegistry registry) {
        this.registry = registry;
    }

    /** The formatter for {@code type}, or null if its binary form cannot be rendered. */
    @Nullable
    Formatter formatter(PgType type) {
        switch (type.kind()) {
            case BUILTIN:
                return builtin(type.builtin());
            case ARRAY:
                {
                    Formatter element = formatter(type.element());
                    return element == null ? null : arrayFormatter(type.element(), element);
                }
            case RANGE:
                {
                    Formatter element = formatter(type.element());
                    return element == null ? null : rangeFormatter(element);
                }
            case MULTIRANGE:
                {
                    Formatter range = formatter(type.element());
                    return range == null
                            ? null
                            : (b, off, len, out) -> multirange(range, b, off, len, out);
                }
            case ENUM:
            case TEXT_EXTENSION:
                return PgTextForms::copy;
            case HSTORE:
                return PgTextForms::hstore;
            case COMPOSITE:
                return this::record;
            default:
                return null;
        }
    }

    /** The formatter for a type OID found inside a value (composite fields), or null. */
    @Nullable
    private Formatter formatterForOid(int oid) {
        Formatter f = byOid.get(oid);
        if (f == null && !byOid.containsKey(oid)) {
            f = formatter(registry.resolve(oid));
            byOid.put(oid, f);
        }
        return f;
    }

    @Nullable
    static Formatter builtin(PgBuiltinType type) {
        switch (type) {
            case BOOL:
                return PgTextForms::bool;
            case INT2:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 2, "int2");
                    out.appendLong(BinaryReads.int16(b, off));
                };
            case INT4:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 4, "int4");
                    out.appendLong(BinaryReads.int32(b, off));
                };
            case INT8:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 8, "int8");
                    out.appendLong(BinaryReads.int64(b, off));
                };
            case OID:
            case XID:
            case CID:
            case REGPROC:
            case REGPROCEDURE:
            case REGOPER:
            case REGOPERATOR:
            case REGCLASS:
            case REGTYPE:
            case REGCONFIG:
            case REGDICTIONARY:
            case REGNAMESPACE:
            case REGROLE:
            case REGCOLLATION:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 4, "oid");
                    out.appendLong(BinaryReads.uint32(b, off));
                };
            case XID8:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 8, "xid8");
                    out.appendUnsigned(BinaryReads.int64(b, off));
                };
            case FLOAT4:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 4, "float4");
                    PgFloats.formatFloat(Float.intBitsToFloat(BinaryReads.int32(b, off)), out);
                };
            case FLOAT8:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 8, "float8");
                    PgFloats.formatDouble(float8(b, off), out);
                };
            case NUMERIC:
                return PgNumerics::formatBinary;
            case MONEY:
                return PgTextForms::money;
            case TEXT:
            case VARCHAR:
            case BPCHAR:
            case NAME:
            case JSON:
            case XML:
            case REFCURSOR:
                return PgTextForms::copy;
            case CHAR:
                return PgTextForms::internalChar;
            case JSONB:
            case JSONPATH:
                return PgTextForms::versionedText;
            case BYTEA:
                return PgTextForms::bytea;
            case UUID:
                return PgTextForms::uuid;
            case DATE:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 4, "date");
                    PgDateTimes.formatDate(BinaryReads.int32(b, off), out);
                };
            case TIME:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 8, "time");
                    PgDateTimes.formatTime(BinaryReads.int64(b, off), out);
                };
            case TIMETZ:
                return PgTextForms::timetz;
            case TIMESTAMP:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 8, "timestamp");
                    PgDateTimes.formatTimestamp(BinaryReads.int64(b, off), false, out);
                };
            case TIMESTAMPTZ:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 8, "timestamptz");
                    PgDateTimes.formatTimestamp(BinaryReads.int64(b, off), true, out);
                };
            case INTERVAL:
                return (b, off, len, out) -> {
                    PgIntervals.Value v = new PgIntervals.Value();
                    PgIntervals.readBinary(b, off, len, v);
                    PgIntervals.formatIso(v, out);
                };
            case INET:
            case CIDR:
                return PgTextForms::inet;
            case MACADDR:
                return (b, off, len, out) -> mac(b, off, len, 6, out);
            case MACADDR8:
                return (b, off, len, out) -> mac(b, off, len, 8, out);
            case BIT:
            case VARBIT:
                return PgTextForms::bits;
            case POINT:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 16, "point");
                    point(b, off, out);
                };
            case LSEG:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 32, "lseg");
                    out.append('[');
                    point(b, off, out);
                    out.append(',');
                    point(b, off + 16, out);
                    out.append(']');
                };
            case BOX:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 32, "box");
                    point(b, off, out);
                    out.append(',');
                    point(b, off + 16, out);
                };
            case PATH:
                return PgTextForms::path;
            case POLYGON:
                return PgTextForms::polygon;
            case LINE:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 24, "line");
                    out.append('{');
                    PgFloats.formatDouble(float8(b, off), out);
                    out.append(',');
                    PgFloats.formatDouble(float8(b, off + 8), out);
                    out.append(',');
                    PgFloats.formatDouble(float8(b, off + 16), out);
                    out.append('}');
                };
            case CIRCLE:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 24, "circle");
                    out.append('<');
                    point(b, off, out);
                    out.append(',');
                    PgFloats.formatDouble(float8(b, off + 16), out);
                    out.append('>');
                };
            case TSVECTOR:
                return PgTextForms::tsvector;
            case PG_LSN:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 8, "pg_lsn");
                    long lsn = BinaryReads.int64(b, off);
                    out.appendHexUpper(lsn >>> 32).append('/').appendHexUpper(lsn & 0xFFFF_FFFFL);
                };
            case TID:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 6, "tid");
                    out.append('(')
                            .appendLong(BinaryReads.uint32(b, off))
                            .append(',')
                            .appendLong(BinaryReads.uint16(b, off + 4))
                            .append(')');
                };
            case TXID_SNAPSHOT:
            case PG_SNAPSHOT:
                return PgTextForms::snapshot;
            case INT2VECTOR:
                return (b, off, len, out) -> vector(b, off, len, PgBuiltinType.INT2, out);
            case OIDVECTOR:
                return (b, off, len, out) -> vector(b, off, len, PgBuiltinType.OID, out);
            case INT4RANGE:
            case INT8RANGE:
            case NUMRANGE:
            case TSRANGE:
            case TSTZRANGE:
            case DATERANGE:
                return rangeFormatter(builtin(type.rangeSubtype()));
            case INT4MULTIRANGE:
            case INT8MULTIRANGE:
            case NUMMULTIRANGE:
            case TSMULTIRANGE:
            case TSTZMULTIRANGE:
            case DATEMULTIRANGE:
                {
                    Formatter range = builtin(type.rangeSubtype());
                    return (b, off, len, out) -> multirange(range, b, off, len, out);
                }
            case TSQUERY:
            default:
                return null;
        }
    }

    static double float8(byte[] b, int off) {
        return Double.longBitsToDouble(BinaryReads.int64(b, off));
    }

    static void copy(byte[] b, int off, int len, ByteSink out) {
        out.append(b, off, len);
    }

    private static void bool(byte[] b, int off, int len, ByteSink out) {
        BinaryReads.expectLength(len, 1, "bool");
        out.append(b[off] != 0 ? 't' : 'f');
    }

    /**
     * {@code "char"}: one byte; bytes with the high bit set print as a backslash and 3 octal
     * digits.
     */
    private static void internalChar(byte[] b, int off, int len, ByteSink out) {
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
    static void versionedText(byte[] b, int off, int len, ByteSink out) {
        if (len < 1 || b[off] != 1) {
            throw new IllegalArgumentException(
                    "unsupported binary format version " + (len < 1 ? "(none)" : b[off]));
        }
        out.append(b, off + 1, len - 1);
    }

    private static void bytea(byte[] b, int off, int len, ByteSink out) {
        out.append('\\').append('x');
        for (int i = 0; i < len; i++) {
            out.appendHexByte(b[off + i]);
        }
    }

    static void uuid(byte[] b, int off, int len, ByteSink out) {
        BinaryReads.expectLength(len, 16, "uuid");
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                out.append('-');
            }
            out.appendHexByte(b[off + i]);
        }
    }

    /** money as printed in the C locale: {@code $1,234.56}, {@code -$1,234.56}. */
    private static void money(byte[] b, int off, int len, ByteSink out) {
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

    private static void timetz(byte[] b, int off, int len, ByteSink out) {
        BinaryReads.expectLength(len, 12, "timetz");
        PgDateTimes.formatTime(BinaryReads.int64(b, off), out);
        // The wire carries seconds west of UTC.
        PgDateTimes.formatOffset(-BinaryReads.int32(b, off + 8), out);
    }

    /** inet/cidr: family (2 = IPv4, 3 = IPv6), bits, is_cidr, address length, address. */
    static void inet(byte[] b, int off, int len, ByteSink out) {
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
    private static void ipv6(byte[] b, int addr, ByteSink out) {
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

    private static void mac(byte[] b, int off, int len, int size, ByteSink out) {
        BinaryReads.expectLength(len, size, size == 6 ? "macaddr" : "macaddr8");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                out.append(':');
            }
            out.appendHexByte(b[off + i]);
        }
    }

    /** bit/varbit: Int32 bit count, then the bits, most significant first. */
    static void bits(byte[] b, int off, int len, ByteSink out) {
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

    private static void point(byte[] b, int off, ByteSink out) {
        out.append('(');
        PgFloats.formatDouble(float8(b, off), out);
        out.append(',');
        PgFloats.formatDouble(float8(b, off + 8), out);
        out.append(')');
    }

    private static void points(byte[] b, int off, int npts, ByteSink out) {
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
    private static void path(byte[] b, int off, int len, ByteSink out) {
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
    private static void polygon(byte[] b, int off, int len, ByteSink out) {
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
    static void tsvector(byte[] b, int off, int len, ByteSink out) {
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
    private static void snapshot(byte[] b, int off, int len, ByteSink out) {
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
    private static void vector(byte[] b, int off, int len, PgBuiltinType element, ByteSink out) {
        BinaryArray array = BinaryArray.read(b, off, len);
        if (array.ndim > 1 || array.hasNulls) {
            throw new IllegalArgumentException("a vector must be one-dimensional without NULLs");
        }
        Formatter f = builtin(element);
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

    // ------------------------------------------------------------ nested values

    /** Appends {@code text} quoted if {@code needsQuotes}, escaping {@code "} and {@code \}. */
    private static void quoted(
            ByteSink text, boolean forceQuotes, String specials, boolean doubling, ByteSink out) {
        int n = text.length();
        boolean quote = forceQuotes || n == 0;
        for (int i = 0; i < n && !quote; i++) {
            byte c = text.byteAt(i);
            quote = Ascii.isSpace(c) || specials.indexOf(c) >= 0;
        }
        if (!quote) {
            out.append(text.array(), 0, n);
            return;
        }
        out.append('"');
        for (int i = 0; i < n; i++) {
            byte c = text.byteAt(i);
            if (c == '"' || c == '\\') {
                out.append(doubling ? c : (byte) '\\');
            }
            out.append(c);
        }
        out.append('"');
    }

    /** Range: Int8 flags, then the lower and upper bound (Int32 length + value) if present. */
    private static Formatter rangeFormatter(Formatter element) {
        return (b, off, len, out) -> {
            int end = off + len;
            BinaryReads.need(off, 1, end, "range");
            int flags = b[off];
            int p = off + 1;
            if ((flags & 0x01) != 0) {
                out.append("empty");
                if (p != end) {
                    throw new IllegalArgumentException("trailing bytes after empty range");
                }
                return;
            }
            out.append((flags & 0x02) != 0 ? '[' : '(');
            ByteSink bound = new ByteSink();
            if ((flags & 0x08) == 0) {
                p = rangeBound(b, p, end, element, bound, out);
            }
            out.append(',');
            if ((flags & 0x10) == 0) {
                p = rangeBound(b, p, end, element, bound, out);
            }
            out.append((flags & 0x04) != 0 ? ']' : ')');
            if (p != end) {
                throw new IllegalArgumentException("trailing bytes after range");
            }
        };
    }

    private static int rangeBound(
            byte[] b, int p, int end, Formatter element, ByteSink bound, ByteSink out) {
        BinaryReads.need(p, 4, end, "range bound");
        int n = BinaryReads.int32(b, p);
        BinaryReads.need(p + 4, n, end, "range bound");
        element.format(b, p + 4, n, bound.reset());
        quoted(bound, false, "\"\\()[],", true, out);
        return p + 4 + n;
    }

    /** Multirange: Int32 count, then each range as Int32 length + range. */
    private static void multirange(Formatter range, byte[] b, int off, int len, ByteSink out) {
        int end = off + len;
        BinaryReads.need(off, 4, end, "multirange");
        int count = BinaryReads.int32(b, off);
        int p = off + 4;
        out.append('{');
        for (int i = 0; i < count; i++) {
            BinaryReads.need(p, 4, end, "multirange");
            int n = BinaryReads.int32(b, p);
            BinaryReads.need(p + 4, n, end, "multirange");
            if (i > 0) {
                out.append(',');
            }
            range.format(b, p + 4, n, out);
            p += 4 + n;
        }
        out.append('}');
        if (p != end) {
            throw new IllegalArgumentException("trailing bytes after multirange");
        }
    }

    /** hstore: Int32 count, then key (Int32 length + bytes) and value (Int32 length or -1). */
    static void hstore(byte[] b, int off, int len, ByteSink out) {
        int end = off + len;
        BinaryReads.need(off, 4, end, "hstore");
        int count = BinaryReads.int32(b, off);
        int p = off + 4;
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append(", ");
            }
            BinaryReads.need(p, 4, end, "hstore key");
            int keyLen = BinaryReads.int32(b, p);
            BinaryReads.need(p + 4, keyLen, end, "hstore key");
            hstoreString(b, p + 4, keyLen, out);
            p += 4 + keyLen;
            out.append("=>");
            BinaryReads.need(p, 4, end, "hstore value");
            int valLen = BinaryReads.int32(b, p);
            p += 4;
            if (valLen < 0) {
                out.append("NULL");
            } else {
                BinaryReads.need(p, valLen, end, "hstore value");
                hstoreString(b, p, valLen, out);
                p += valLen;
            }
        }
        if (p != end) {
            throw new IllegalArgumentException("trailing bytes after hstore");
        }
    }

    private static void hstoreString(byte[] b, int off, int len, ByteSink out) {
        out.append('"');
        for (int i = off; i < off + len; i++) {
            if (b[i] == '"' || b[i] == '\\') {
                out.append('\\');
            }
            out.append(b[i]);
        }
        out.append('"');
    }

    /** Composite: Int32 field count, then per field Int32 type OID and Int32 length (or -1). */
    private void record(byte[] b, int off, int len, ByteSink out) {
        int end = off + len;
        BinaryReads.need(off, 4, end, "record");
        int count = BinaryReads.int32(b, off);
        int p = off + 4;
        ByteSink field = new ByteSink();
        out.append('(');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append(',');
            }
            BinaryReads.need(p, 8, end, "record field");
            int oid = BinaryReads.int32(b, p);
            int n = BinaryReads.int32(b, p + 4);
            p += 8;
            if (n < 0) {
                continue; // NULL: nothing between the commas
            }
            BinaryReads.need(p, n, end, "record field");
            Formatter f = formatterForOid(oid);
            if (f == null) {
                throw new IllegalArgumentException(
                        "cannot render composite field "
                                + (i + 1)
                                + " of "
                                + registry.resolve(oid)
                                + " from its binary form");
            }
            f.format(b, p, n, field.reset());
            quoted(field, false, "\"\\(),", true, out);
            p += n;
        }
        out.append(')');
        if (p != end) {
            throw new IllegalArgumentException("trailing bytes after record");
        }
    }

    /** Arrays as {@code array_out} prints them: nesting, quoting, NULL, non-default bounds. */
    private static Formatter arrayFormatter(PgType elementType, Formatter element) {
        byte delimiter = elementType.is(PgBuiltinType.BOX) ? (byte) ';' : (byte) ',';
        return (b, off, len, out) -> {
            BinaryArray array = BinaryArray.read(b, off, len);
            if (array.ndim == 0) {
                out.append("{}");
                return;
            }
            boolean defaultBounds = true;
            for (int d = 0; d < array.ndim; d++) {
                defaultBounds &= array.lowerBounds[d] == 1;
            }
            if (!defaultBounds) {
                for (int d = 0; d < array.ndim; d++) {
                    out.append('[')
                            .appendLong(array.lowerBounds[d])
                            .append(':')
                            .appendLong(array.lowerBounds[d] + (long) array.dims[d] - 1)
                            .append(']');
                }
                out.append('=');
            }
            ByteSink text = new ByteSink();
            int[] position = {array.dataOffset};
            arrayLevel(b, array, 0, element, delimiter, text, position, out);
        };
    }

    private static void arrayLevel(
            byte[] b,
            BinaryArray array,
            int dim,
            Formatter element,
            byte delimiter,
            ByteSink text,
            int[] position,
            ByteSink out) {
        out.append('{');
        for (int i = 0; i < array.dims[dim]; i++) {
            if (i > 0) {
                out.append(delimiter);
            }
            if (dim + 1 < array.ndim) {
                arrayLevel(b, array, dim + 1, element, delimiter, text, position, out);
                continue;
            }
            int p = position[0];
            int n = BinaryReads.int32(b, p);
            p += 4;
            if (n < 0) {
                out.append("NULL");
            } else {
                element.format(b, p, n, text.reset());
                boolean isNullWord =
                        Ascii.regionEqualsIgnoreCase(text.array(), 0, text.length(), "NULL");
                quoted(text, isNullWord, "\"\\{}" + (char) delimiter, false, out);
                p += n;
            }
            position[0] = p;
        }
        out.append('}');
    }
}
