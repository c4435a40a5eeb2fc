package io.pgwalstream.snapshot;

import java.util.Arrays;

/**
 * Turns the output of {@code COPY … TO STDOUT (FORMAT binary)} into {@link SnapshotRows}, fed one
 * CopyData message at a time. A row's fields become TupleData columns as they are: COPY's binary
 * value forms are the {@code send} functions' output, exactly what pgoutput's binary mode sends.
 *
 * <p>PostgreSQL sends one row per message, but nothing here relies on it: bytes of a row cut across
 * messages are held until the rest arrives.
 */
public final class CopyBinaryTuples {

    private static final byte[] SIGNATURE = {
        'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0
    };
    private static final int HEADER_FIXED = SIGNATURE.length + 8;
    private static final int OIDS_FLAG = 1 << 16;

    private static final int MIN_CAPACITY = 1 << 16;

    private final int columns;
    private byte[] out;
    private int outSize;
    private int[] offsets = new int[1024];
    private int rows;
    private boolean headerRead;
    private boolean trailerRead;
    private byte[] pending = new byte[0];
    private int pendingSize;

    /**
     * @param columns how many fields each row must have (the published columns)
     */
    public CopyBinaryTuples(int columns) {
        this(columns, MIN_CAPACITY);
    }

    /**
     * @param columns how many fields each row must have (the published columns)
     * @param expectedBytes about how many bytes the rows will take (e.g. the previous chunk's): one
     *     buffer of that size instead of a series of doublings and copies
     */
    public CopyBinaryTuples(int columns, long expectedBytes) {
        this.columns = columns;
        this.out = new byte[(int) Math.min(Math.max(expectedBytes, MIN_CAPACITY), 1 << 30)];
    }

    /**
     * Takes one CopyData message.
     *
     * @throws IllegalArgumentException if the bytes are not binary COPY data of {@code columns}
     *     fields per row
     */
    public void accept(byte[] message) {
        byte[] data = message;
        int length = message.length;
        if (pendingSize > 0) {
            ensurePending(pendingSize + length);
            System.arraycopy(message, 0, pending, pendingSize, length);
            data = pending;
            length = pendingSize + length;
        }
        int consumed = consume(data, length);
        int rest = length - consumed;
        if (rest > 0 && data == pending) {
            System.arraycopy(pending, consumed, pending, 0, rest);
        } else if (rest > 0) {
            ensurePending(rest);
            System.arraycopy(data, consumed, pending, 0, rest);
        }
        pendingSize = rest;
    }

    /**
     * @throws IllegalArgumentException if the data ended without COPY's trailer or mid-row
     */
    public SnapshotRows finish() {
        if (!trailerRead || pendingSize > 0) {
            throw new IllegalArgumentException(
                    "Binary COPY data ended "
                            + (trailerRead ? "with " + pendingSize + " bytes after" : "without")
                            + " the trailer, after "
                            + rows
                            + " rows");
        }
        offsets[rows] = outSize;
        return new SnapshotRows(out, offsets, rows, columns);
    }

    /** Consumes whole units (header, rows, trailer) from the front; returns the bytes used. */
    private int consume(byte[] b, int length) {
        int pos = 0;
        if (!headerRead) {
            if (length < HEADER_FIXED) {
                return 0;
            }
            if (!Arrays.equals(b, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
                throw new IllegalArgumentException("Not binary COPY data: bad signature");
            }
            int flags = int32(b, SIGNATURE.length);
            if ((flags & OIDS_FLAG) != 0) {
                throw new IllegalArgumentException("Binary COPY data with OIDs is not supported");
            }
            int extension = int32(b, SIGNATURE.length + 4);
            if (extension < 0) {
                throw new IllegalArgumentException("Bad COPY header extension length " + extension);
            }
            if (length < HEADER_FIXED + extension) {
                return 0;
            }
            pos = HEADER_FIXED + extension;
            headerRead = true;
        }
        while (pos + 2 <= length) {
            if (trailerRead) {
                throw new IllegalArgumentException("Binary COPY data continues after its trailer");
            }
            short fields = (short) (((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF));
            if (fields == -1) {
                trailerRead = true;
                pos += 2;
                continue;
            }
            if (fields != columns) {
                throw new IllegalArgumentException(
                        "A COPY row has " + fields + " fields; expected " + columns);
            }
            int end = rowEnd(b, pos + 2, length, fields);
            if (end < 0) {
                break; // the row continues in the next message
            }
            transcode(b, pos, fields);
            pos = end;
        }
        return pos;
    }

    /** End of the row whose fields start at {@code pos}, or -1 if it is not all here. */
    private static int rowEnd(byte[] b, int pos, int length, int fields) {
        for (int i = 0; i < fields; i++) {
            if (pos + 4 > length) {
                return -1;
            }
            int len = int32(b, pos);
            pos += 4;
            if (len < -1) {
                throw new IllegalArgumentException("Bad COPY field length " + len);
            }
            if (len > 0) {
                if (pos + len > length || pos + len < 0) {
                    return -1;
                }
                pos += len;
            }
        }
        return pos;
    }

    private void transcode(byte[] b, int pos, int fields) {
        ensureRows(rows + 2);
        offsets[rows++] = outSize;
        // Worst case per field: kind byte + length + value, i.e. COPY's size plus one.
        ensureOut(outSize + 2 + fields * 5);
        out[outSize++] = (byte) (fields >>> 8);
        out[outSize++] = (byte) fields;
        pos += 2;
        for (int i = 0; i < fields; i++) {
            int len = int32(b, pos);
            pos += 4;
            if (len == -1) {
                out[outSize++] = 'n';
                continue;
            }
            ensureOut(outSize + 5 + len + (fields - i - 1) * 5);
            out[outSize++] = 'b';
            out[outSize++] = (byte) (len >>> 24);
            out[outSize++] = (byte) (len >>> 16);
            out[outSize++] = (byte) (len >>> 8);
            out[outSize++] = (byte) len;
            System.arraycopy(b, pos, out, outSize, len);
            outSize += len;
            pos += len;
        }
    }

    private static int int32(byte[] b, int pos) {
        return ((b[pos] & 0xFF) << 24)
                | ((b[pos + 1] & 0xFF) << 16)
                | ((b[pos + 2] & 0xFF) << 8)
                | (b[pos + 3] & 0xFF);
    }

    private void ensureOut(int size) {
        if (size > out.length) {
            out = Arrays.copyOf(out, Math.max(size, out.length * 2));
        }
    }

    private void ensureRows(int size) {
        if (size > offsets.length) {
            offsets = Arrays.copyOf(offsets, Math.max(size, offsets.length * 2));
        }
    }

    private void ensurePending(int size) {
        if (size > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(size, pending.length * 2));
        }
    }
}
