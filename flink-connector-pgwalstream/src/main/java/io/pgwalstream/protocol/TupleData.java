package io.pgwalstream.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A view of one validated TupleData (Int16 column count, then per column a kind byte and, for
 * {@code 't'} and {@code 'b'}, an Int32 length and the value) inside a message buffer.
 *
 * <p>Nothing is decoded up front: {@link TupleCursor} walks the columns without allocating, and the
 * index-based accessors walk from the first column on each call (fine for tests and for occasional
 * lookups; use a cursor for whole rows). The buffer must not be modified while the view is in use.
 *
 * <p>Equality compares the bytes, so tuples decoded from different buffers can be compared.
 */
public final class TupleData {

    private final byte[] buffer;
    private final int startOffset;
    private final int endOffset;
    private final int columnCount;

    /** Trusted constructor for bytes the caller has already validated. */
    TupleData(byte[] buffer, int startOffset, int endOffset, int columnCount) {
        this.buffer = buffer;
        this.startOffset = startOffset;
        this.endOffset = endOffset;
        this.columnCount = columnCount;
    }

    /**
     * Validates and wraps a complete TupleData occupying exactly {@code length} bytes at {@code
     * offset}, allowing all four column kinds.
     *
     * @throws ProtocolDecodingException if the bytes are not exactly one TupleData
     */
    public static TupleData wrap(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        MessageReader reader = new MessageReader();
        reader.reset(buffer, offset, length, 0L);
        TupleData tuple = reader.readTuple(true);
        reader.expectEnd();
        return tuple;
    }

    /**
     * Wraps a TupleData its caller wrote itself, with the column count it wrote, without walking
     * the columns again: for rows re-framed from already validated input (a snapshot's binary
     * COPY), where {@link #wrap}'s check would repeat the writer's.
     *
     * @throws IndexOutOfBoundsException if the range is not inside the buffer
     * @throws IllegalArgumentException if the count is not the one the bytes start with
     */
    public static TupleData framed(byte[] buffer, int offset, int length, int columnCount) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length < 2 || BigEndian.getUnsignedShort(buffer, offset) != columnCount) {
            throw new IllegalArgumentException(
                    "Not a TupleData of " + columnCount + " columns at offset " + offset);
        }
        return new TupleData(buffer, offset, offset + length, columnCount);
    }

    /** The whole array the tuple lives in. */
    public byte[] buffer() {
        return buffer;
    }

    /** Offset of the Int16 column count in {@link #buffer()}. */
    public int startOffset() {
        return startOffset;
    }

    /** Offset just past the last column. */
    public int endOffset() {
        return endOffset;
    }

    /** Length of the TupleData on the wire, column count included. */
    public int encodedLength() {
        return endOffset - startOffset;
    }

    public int columnCount() {
        return columnCount;
    }

    /** A new cursor positioned before the first column. */
    public TupleCursor cursor() {
        return new TupleCursor().reset(this);
    }

    /** Kind of column {@code index}; walks the tuple. */
    public ColumnKind kind(int index) {
        return ColumnKind.fromTag(buffer[seek(index)]);
    }

    /** Whether column {@code index} is NULL; walks the tuple. */
    public boolean isNull(int index) {
        return buffer[seek(index)] == ColumnKind.NULL_TAG;
    }

    /** Offset of the value of column {@code index} in {@link #buffer()}, or -1 if it has none. */
    public int valueOffset(int index) {
        int at = seek(index);
        return hasValue(buffer[at]) ? at + 5 : -1;
    }

    /** Length of the value of column {@code index}, or -1 if it has none. */
    public int valueLength(int index) {
        int at = seek(index);
        return hasValue(buffer[at]) ? BigEndian.getInt(buffer, at + 1) : -1;
    }

    /** A copy of the value bytes, or null for NULL and unchanged-TOAST columns. For tests. */
    public byte[] valueBytes(int index) {
        int at = seek(index);
        if (!hasValue(buffer[at])) {
            return null;
        }
        return Arrays.copyOfRange(buffer, at + 5, at + 5 + BigEndian.getInt(buffer, at + 1));
    }

    /**
     * The value decoded as UTF-8, or null for NULL and unchanged-TOAST columns. For tests and
     * debugging; converters should read the bytes in place.
     */
    public String valueAsString(int index) {
        int at = seek(index);
        if (!hasValue(buffer[at])) {
            return null;
        }
        return new String(buffer, at + 5, BigEndian.getInt(buffer, at + 1), StandardCharsets.UTF_8);
    }

    /** Offset of the kind byte of column {@code index}. */
    private int seek(int index) {
        Objects.checkIndex(index, columnCount);
        int p = startOffset + 2;
        for (int i = 0; i < index; i++) {
            p += hasValue(buffer[p]) ? 5 + BigEndian.getInt(buffer, p + 1) : 1;
        }
        return p;
    }

    static boolean hasValue(byte kind) {
        return kind == ColumnKind.TEXT_TAG || kind == ColumnKind.BINARY_TAG;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TupleData)) {
            return false;
        }
        TupleData other = (TupleData) o;
        return columnCount == other.columnCount
                && Arrays.equals(
                        buffer,
                        startOffset,
                        endOffset,
                        other.buffer,
                        other.startOffset,
                        other.endOffset);
    }

    @Override
    public int hashCode() {
        int h = columnCount;
        for (int i = startOffset; i < endOffset; i++) {
            h = 31 * h + buffer[i];
        }
        return h;
    }

    /** Debug form, e.g. {@code TupleData[t:"42", n, u, b:3 bytes]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TupleData[");
        TupleCursor cursor = cursor();
        while (cursor.next()) {
            if (cursor.index() > 0) {
                sb.append(", ");
            }
            switch (cursor.kind()) {
                case NULL:
                    sb.append('n');
                    break;
                case UNCHANGED_TOAST:
                    sb.append('u');
                    break;
                case TEXT:
                    sb.append("t:\"").append(cursor.valueAsString()).append('"');
                    break;
                default:
                    sb.append("b:").append(cursor.valueLength()).append(" bytes");
                    break;
            }
        }
        return sb.append(']').toString();
    }
}
