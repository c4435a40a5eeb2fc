package io.pgwalstream.types;

/**
 * PostgreSQL's text output of values that hold other values — ranges, multiranges, hstore — and the
 * quoting rule shared by every nested form ({@link PgTextForms} uses it for composites and arrays).
 */
public final class NestedTextForms {

    private NestedTextForms() {}

    /** Appends {@code text} quoted if {@code needsQuotes}, escaping {@code "} and {@code \}. */
    public static void quoted(
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
    public static PgTextForms.Formatter rangeFormatter(PgTextForms.Formatter element) {
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

    public static int rangeBound(
            byte[] b, int p, int end, PgTextForms.Formatter element, ByteSink bound, ByteSink out) {
        BinaryReads.need(p, 4, end, "range bound");
        int n = BinaryReads.int32(b, p);
        BinaryReads.need(p + 4, n, end, "range bound");
        element.format(b, p + 4, n, bound.reset());
        quoted(bound, false, "\"\\()[],", true, out);
        return p + 4 + n;
    }

    /** Multirange: Int32 count, then each range as Int32 length + range. */
    public static void multirange(
            PgTextForms.Formatter range, byte[] b, int off, int len, ByteSink out) {
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
    public static void hstore(byte[] b, int off, int len, ByteSink out) {
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

    public static void hstoreString(byte[] b, int off, int len, ByteSink out) {
        out.append('"');
        for (int i = off; i < off + len; i++) {
            if (b[i] == '"' || b[i] == '\\') {
                out.append('\\');
            }
            out.append(b[i]);
        }
        out.append('"');
    }
}
