package io.pgwalstream.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds TupleData wire bytes column by column, for tests and fakes. */
public final class TupleBuilder {

    private final List<Object> columns = new ArrayList<>();

    private static final Object NULL = new Object();
    private static final Object UNCHANGED = new Object();

    private record Binary(byte[] value) {}

    public static TupleBuilder tuple() {
        return new TupleBuilder();
    }

    /** A tuple of text columns; null elements become NULL columns. */
    public static TupleData texts(String... values) {
        TupleBuilder builder = tuple();
        for (String value : values) {
            if (value == null) {
                builder.nul();
            } else {
                builder.text(value);
            }
        }
        return builder.build();
    }

    public TupleBuilder nul() {
        columns.add(NULL);
        return this;
    }

    public TupleBuilder unchangedToast() {
        columns.add(UNCHANGED);
        return this;
    }

    public TupleBuilder text(String value) {
        columns.add(value);
        return this;
    }

    public TupleBuilder binary(byte[] value) {
        columns.add(new Binary(value.clone()));
        return this;
    }

    public int columnCount() {
        return columns.size();
    }

    /** The TupleData encoding: Int16 count, then the columns. */
    public byte[] toBytes() {
        ByteWriter w = new ByteWriter().i16(columns.size());
        for (Object column : columns) {
            if (column == NULL) {
                w.u8('n');
            } else if (column == UNCHANGED) {
                w.u8('u');
            } else if (column instanceof String) {
                byte[] value = ((String) column).getBytes(StandardCharsets.UTF_8);
                w.u8('t').i32(value.length).bytes(value);
            } else {
                byte[] value = ((Binary) column).value();
                w.u8('b').i32(value.length).bytes(value);
            }
        }
        return w.toByteArray();
    }

    public TupleData build() {
        byte[] bytes = toBytes();
        return TupleData.wrap(bytes, 0, bytes.length);
    }
}
