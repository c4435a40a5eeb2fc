package io.pgwalstream.changes;

import io.pgwalstream.types.BinaryArray;
import io.pgwalstream.types.BinaryReads;
import io.pgwalstream.types.PgArrayText;
import io.pgwalstream.types.PgType;

import java.util.ArrayList;
import java.util.List;

/** Reads a one-dimensional array value, text or binary, into a list of its elements. */
final class ArrayElements {

    private ArrayElements() {}

    /**
     * The elements of the array of {@code element}s at {@code b[off, off+len)}, each read by {@code
     * reader}; NULL elements as {@code null}.
     *
     * @throws ValueReader.Unrepresentable if the array has more than one dimension
     */
    static List<Object> read(
            ValueReader reader,
            ValueReader.Context ctx,
            PgType element,
            boolean binary,
            byte[] b,
            int off,
            int len) {
        List<Object> list = new ArrayList<>();
        if (binary) {
            BinaryArray array = BinaryArray.read(b, off, len);
            requireOneDimension(array.ndim);
            int p = array.dataOffset;
            for (int i = 0; i < array.count; i++) {
                int n = BinaryReads.int32(b, p);
                p += 4;
                if (n < 0) {
                    list.add(null);
                } else {
                    list.add(reader.read(ctx, element, true, b, p, n));
                    p += n;
                }
            }
        } else {
            PgArrayText text = new PgArrayText(element);
            text.parse(
                    b,
                    off,
                    len,
                    new PgArrayText.Elements() {
                        @Override
                        public void element(byte[] eb, int eoff, int elen) {
                            list.add(reader.read(ctx, element, false, eb, eoff, elen));
                        }

                        @Override
                        public void nullElement() {
                            list.add(null);
                        }
                    });
            requireOneDimension(text.dimensions());
        }
        // The caller's own ArrayList: Flink 1.20 copies and restores a POJO's List fields with
        // Kryo, which adds to a new instance of the list's class (a read-only view fails there).
        return list;
    }

    private static void requireOneDimension(int ndim) {
        if (ndim > 1) {
            throw new ValueReader.Unrepresentable(
                    "the array has " + ndim + " dimensions; getList reads one-dimensional arrays");
        }
    }
}
