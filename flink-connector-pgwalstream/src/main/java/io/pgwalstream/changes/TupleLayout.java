package io.pgwalstream.changes;

import io.pgwalstream.protocol.ColumnKind;
import io.pgwalstream.protocol.TupleCursor;
import io.pgwalstream.protocol.TupleData;

/** The kinds and value positions of a tuple's columns, found in one walk over its bytes. */
final class TupleLayout {

    final byte[] buffer;
    final ColumnKind[] kinds;
    final int[] offsets;
    final int[] lengths;

    TupleLayout(TupleData tuple) {
        int n = tuple.columnCount();
        buffer = tuple.buffer();
        kinds = new ColumnKind[n];
        offsets = new int[n];
        lengths = new int[n];
        TupleCursor cursor = tuple.cursor();
        while (cursor.next()) {
            int i = cursor.index();
            kinds[i] = cursor.kind();
            if (cursor.hasValue()) {
                offsets[i] = cursor.valueOffset();
                lengths[i] = cursor.valueLength();
            }
        }
    }

    boolean binary(int index) {
        return kinds[index] == ColumnKind.BINARY;
    }
}
