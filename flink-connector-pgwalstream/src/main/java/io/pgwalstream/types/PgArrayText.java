package io.pgwalstream.types;

import java.util.Arrays;

/**
 * The text form of arrays ({@code array_out}): {@code {1,2,NULL}}, {@code {{1,2},{3,4}}}, {@code
 * [0:1]={a,b}}, elements double-quoted when they contain delimiters, quotes, backslashes or spaces,
 * or are empty or the word NULL; backslash escapes the next character; {@code box} arrays use
 * {@code ;} as the delimiter.
 *
 * <p>{@link #parse} hands every element, in row-major order, to an {@link Elements} callback:
 * unquoted and quoted-without-escapes elements as a range of the input bytes, an element with
 * escapes unescaped into a new array. Lower bounds are skipped. Afterwards {@link #dimensions()}
 * and {@link #size(int)} give the shape; an empty array ({@code {}}) has no dimensions. Reusable;
 * not thread-safe.
 */
public final class PgArrayText {

    /** Receives the elements of one array. */
    public interface Elements {
        /** A non-NULL element's text. */
        void element(byte[] b, int off, int len);

        /** An unquoted {@code NULL}. */
        void nullElement();
    }

    private final byte delimiter;
    private final int[] dims = new int[BinaryArray.MAX_DIMENSIONS];
    private int ndim;
    private Elements sink;

    /**
     * @param elementType the element type, which decides the delimiter
     */
    public PgArrayText(PgType elementType) {
        this.delimiter = elementType.is(PgBuiltinType.BOX) ? (byte) ';' : (byte) ',';
    }

    /** Number of dimensions of the last parsed array (0 for an empty one). */
    public int dimensions() {
        return ndim;
    }

    /** Size of dimension {@code d} of the last parsed array. */
    public int size(int d) {
        return dims[d];
    }

    /**
     * Parses one array text, handing its elements to {@code elements}.
     *
     * @throws IllegalArgumentException (or {@link ArrayIndexOutOfBoundsException} at a truncated
     *     escape) if the text is not an array
     */
    public void parse(byte[] b, int off, int len, Elements elements) {
        sink = elements;
        int end = off + len;
        int p = off;
        if (p < end && b[p] == '[') {
            // Non-default bounds: "[0:2]={...}".
            while (p < end && b[p] != '=') {
                p++;
            }
            p++;
        }
        ndim = 0;
        Arrays.fill(dims, -1);
        try {
            p = level(b, p, end, 0);
        } finally {
            sink = null;
        }
        p = skipSpaces(b, p, end);
        if (p != end) {
            throw new IllegalArgumentException("trailing characters after the array");
        }
    }

    private static int skipSpaces(byte[] b, int p, int end) {
        while (p < end && Ascii.isSpace(b[p])) {
            p++;
        }
        return p;
    }

    /** Parses one {@code {…}} at nesting {@code level}; returns the offset after its brace. */
    private int level(byte[] b, int p, int end, int level) {
        p = skipSpaces(b, p, end);
        if (p >= end || b[p] != '{') {
            throw new IllegalArgumentException("expected '{'");
        }
        if (level >= BinaryArray.MAX_DIMENSIONS) {
            throw new IllegalArgumentException("more than 6 dimensions");
        }
        p = skipSpaces(b, p + 1, end);
        if (p < end && b[p] == '}') {
            if (level > 0) {
                throw new IllegalArgumentException("empty sub-array");
            }
            return p + 1; // '{}': no dimensions
        }
        int items = 0;
        while (true) {
            p = skipSpaces(b, p, end);
            if (p < end && b[p] == '{') {
                if (ndim != 0 && level + 1 >= ndim) {
                    throw new IllegalArgumentException("elements at different nesting levels");
                }
                p = level(b, p, end, level + 1);
            } else {
                if (ndim == 0) {
                    ndim = level + 1;
                } else if (ndim != level + 1) {
                    throw new IllegalArgumentException("elements at different nesting levels");
                }
                p = elementText(b, p, end);
            }
            items++;
            p = skipSpaces(b, p, end);
            if (p >= end) {
                throw new IllegalArgumentException("unterminated array");
            }
            if (b[p] == delimiter) {
                p++;
            } else if (b[p] == '}') {
                p++;
                break;
            } else {
                throw new IllegalArgumentException("expected '" + (char) delimiter + "' or '}'");
            }
        }
        if (dims[level] == -1) {
            dims[level] = items;
        } else if (dims[level] != items) {
            throw new IllegalArgumentException("sub-arrays of different sizes");
        }
        return p;
    }

    /** Reads one element at {@code p} and hands it to the sink. */
    private int elementText(byte[] b, int p, int end) {
        int start;
        int stop;
        boolean escaped = false;
        boolean quoted = b[p] == '"';
        if (quoted) {
            start = ++p;
            while (true) {
                if (p >= end) {
                    throw new IllegalArgumentException("unterminated quoted element");
                }
                if (b[p] == '\\') {
                    escaped = true;
                    p += 2;
                } else if (b[p] == '"') {
                    break;
                } else {
                    p++;
                }
            }
            stop = p;
            p++;
        } else {
            start = p;
            int lastNonSpace = p;
            while (p < end && b[p] != delimiter && b[p] != '}') {
                if (b[p] == '"' || b[p] == '{') {
                    throw new IllegalArgumentException("unexpected character in unquoted element");
                }
                if (b[p] == '\\') {
                    escaped = true;
                    p += 2;
                    lastNonSpace = p;
                    continue;
                }
                if (!Ascii.isSpace(b[p])) {
                    lastNonSpace = p + 1;
                }
                p++;
            }
            stop = lastNonSpace;
            if (stop == start) {
                throw new IllegalArgumentException("empty unquoted element");
            }
        }
        if (!quoted && !escaped && Ascii.regionEqualsIgnoreCase(b, start, stop - start, "NULL")) {
            sink.nullElement();
        } else if (escaped) {
            byte[] unescaped = unescape(b, start, stop);
            sink.element(unescaped, 0, unescaped.length);
        } else {
            sink.element(b, start, stop - start);
        }
        return p;
    }

    private static byte[] unescape(byte[] b, int start, int stop) {
        int n = 0;
        for (int i = start; i < stop; i++, n++) {
            if (b[i] == '\\') {
                i++;
            }
        }
        byte[] out = new byte[n];
        int k = 0;
        for (int i = start; i < stop; i++) {
            if (b[i] == '\\') {
                i++;
            }
            out[k++] = b[i];
        }
        return out;
    }
}
