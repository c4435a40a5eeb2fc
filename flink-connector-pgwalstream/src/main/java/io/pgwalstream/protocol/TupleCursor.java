package io.pgwalstream.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Sequential, allocation-free access to the columns of a {@link TupleData}. Create one per thread
 * and {@link #reset} it for each tuple. Not thread-safe.
 *
 * <pre>{@code
 * cursor.reset(insert.newTuple());
 * while (cursor.next()) {
 *     if (cursor.hasValue()) {
 *         convert(cursor.buffer(), cursor.valueOffset(), cursor.valueLength());
 *     }
 * }
 * }</pre>
 */
public final class TupleCursor {

    private byte[] buffer;
    private int next;
    private int columnCount;
    private int index;
    private byte kind;
    private int valueOffset;
    private int valueLength;

    /** Positions this cursor before the first column of {@code tuple}. */
    public TupleCursor reset(TupleData tuple) {
        this.buffer = tuple.buffer();
        this.next = tuple.startOffset() + 2;
        this.columnCount = tuple.columnCount();
        this.index = -1;
        this.kind = 0;
        this.valueOffset = -1;
        this.valueLength = -1;
        return this;
    }

    /** Moves to the next column; false when there is none. */
    public boolean next() {
        if (index + 1 >= columnCount) {
            index = columnCount;
            return false;
        }
        index++;
        int p = next;
        kind = buffer[p];
        if (TupleData.hasValue(kind)) {
            valueLength = BigEndian.getInt(buffer, p + 1);
            valueOffset = p + 5;
            next = valueOffset + valueLength;
        } else {
            valueLength = -1;
            valueOffset = -1;
            next = p + 1;
        }
        return true;
    }

    /** Zero-based index of the current column. */
    public int index() {
        return index;
    }

    public int columnCount() {
        return columnCount;
    }

    public ColumnKind kind() {
        return ColumnKind.fromTag(kind);
    }

    /** The raw kind byte ({@code 'n'}, {@code 'u'}, {@code 't'} or {@code 'b'}). */
    public byte kindTag() {
        return kind;
    }

    public boolean isNull() {
        return kind == ColumnKind.NULL_TAG;
    }

    public boolean isUnchangedToast() {
        return kind == ColumnKind.UNCHANGED_TOAST_TAG;
    }

    public boolean isText() {
        return kind == ColumnKind.TEXT_TAG;
    }

    public boolean isBinary() {
        return kind == ColumnKind.BINARY_TAG;
    }

    /** Whether the current column carries bytes ({@code 't'} or {@code 'b'}). */
    public boolean hasValue() {
        return valueOffset >= 0;
    }

    public byte[] buffer() {
        return buffer;
    }

    /** Offset of the current value in {@link #buffer()}, -1 without a value. */
    public int valueOffset() {
        return valueOffset;
    }

    /** Length of the current value, -1 without a value. */
    public int valueLength() {
        return valueLength;
    }

    /** The current value as UTF-8, null without a value. For tests and debugging. */
    public String valueAsString() {
        return hasValue()
                ? new String(buffer, valueOffset, valueLength, StandardCharsets.UTF_8)
                : null;
    }
}
