package io.pgwalstream.testing.values;

import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.protocol.TupleData;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds TupleData byte vectors ({@code 'n'}, {@code 'u'}, {@code 't'}, {@code 'b'} columns). */
public final class Tuples {

    private final List<byte[]> columns = new ArrayList<>();

    public static Tuples of() {
        return new Tuples();
    }

    public Tuples nul() {
        columns.add(new byte[] {'n'});
        return this;
    }

    public Tuples toast() {
        columns.add(new byte[] {'u'});
        return this;
    }

    public Tuples text(String value) {
        return value('t', value.getBytes(StandardCharsets.UTF_8));
    }

    public Tuples binary(byte[] value) {
        return value('b', value);
    }

    private Tuples value(char kind, byte[] value) {
        byte[] c = Bin.of().i8(kind).value(value).build();
        columns.add(c);
        return this;
    }

    /** The tuple, placed at offset 7 of a larger array to catch offset mistakes. */
    public TupleData build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {9, 9, 9, 9, 9, 9, 9});
        out.writeBytes(Bin.of().i16(columns.size()).build());
        for (byte[] c : columns) {
            out.writeBytes(c);
        }
        int length = out.size() - 7;
        out.writeBytes(new byte[] {9, 9, 9});
        return TupleData.wrap(out.toByteArray(), 7, length);
    }

    public static Relation relation(RelationColumn... columns) {
        return new Relation(0, 16_384, "public", "t", ReplicaIdentity.DEFAULT, List.of(columns));
    }

    public static RelationColumn column(String name, int typeOid, int typmod) {
        return new RelationColumn(0, name, typeOid, typmod);
    }
}
