package io.pgwalstream.snapshot;

import io.pgwalstream.protocol.TupleData;

/**
 * The rows of one chunk, as pgoutput TupleData ({@code 'n'} for NULL, {@code 'b'} with the binary
 * value otherwise) packed into one array: row {@code i} spans {@code offsets[i]} to {@code
 * offsets[i + 1]}.
 */
public final class SnapshotRows {

    private final byte[] buffer;
    private final int[] offsets;
    private final int count;
    private final int columns;

    SnapshotRows(byte[] buffer, int[] offsets, int count, int columns) {
        this.buffer = buffer;
        this.offsets = offsets;
        this.count = count;
        this.columns = columns;
    }

    public int count() {
        return count;
    }

    /** Bytes of tuple data (the values plus per-column framing). */
    public long bytes() {
        return offsets[count] - offsets[0];
    }

    public TupleData row(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("Row " + index + " of " + count);
        }
        // CopyBinaryTuples wrote and checked these bytes: no second walk over the columns.
        return TupleData.framed(
                buffer, offsets[index], offsets[index + 1] - offsets[index], columns);
    }
}
