package io.pgwalstream.flink.typed;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.Arrays;

/** The route index, then the change through that route's {@link ChangeSerializer}. */
@Internal
public final class RoutedChangeSerializer extends TypeSerializer<RoutedChange> {

    private static final long serialVersionUID = 1L;

    private final TypeSerializer<?>[] rows;
    private final ChangeSerializer<?>[] changes;

    public RoutedChangeSerializer(TypeSerializer<?>[] rows) {
        this.rows = rows.clone();
        this.changes = new ChangeSerializer<?>[rows.length];
        for (int i = 0; i < rows.length; i++) {
            changes[i] = new ChangeSerializer<>(rows[i]);
        }
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<RoutedChange> duplicate() {
        TypeSerializer<?>[] duplicates = new TypeSerializer<?>[rows.length];
        boolean same = true;
        for (int i = 0; i < rows.length; i++) {
            duplicates[i] = rows[i].duplicate();
            same &= duplicates[i] == rows[i];
        }
        return same ? this : new RoutedChangeSerializer(duplicates);
    }

    @Override
    public RoutedChange createInstance() {
        return null;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public RoutedChange copy(RoutedChange from) {
        ChangeSerializer serializer = serializer(from.route());
        return new RoutedChange(from.route(), (Change<?>) serializer.copy(from.change()));
    }

    @Override
    public RoutedChange copy(RoutedChange from, RoutedChange reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void serialize(RoutedChange record, DataOutputView out) throws IOException {
        ChangeSerializer serializer = serializer(record.route());
        out.writeShort(record.route());
        serializer.serialize(record.change(), out);
    }

    @Override
    public RoutedChange deserialize(DataInputView in) throws IOException {
        int route = in.readUnsignedShort();
        if (route >= changes.length) {
            throw new IOException(
                    "Route " + route + " in serialized data; this job has " + changes.length);
        }
        return new RoutedChange(route, changes[route].deserialize(in));
    }

    @Override
    public RoutedChange deserialize(RoutedChange reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private ChangeSerializer<?> serializer(int route) {
        if (route >= changes.length) {
            throw new IllegalArgumentException(
                    "Route " + route + " of " + changes.length + " routes");
        }
        return changes[route];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutedChangeSerializer other && Arrays.equals(rows, other.rows);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rows);
    }

    @Override
    public TypeSerializerSnapshot<RoutedChange> snapshotConfiguration() {
        return new Snapshot(this);
    }

    /** Version 1: one nested row serializer per route, in route order. */
    public static final class Snapshot
            extends CompositeTypeSerializerSnapshot<RoutedChange, RoutedChangeSerializer> {

        /** For Flink's reflective restore. */
        public Snapshot() {}

        Snapshot(RoutedChangeSerializer serializer) {
            super(serializer);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return 1;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(RoutedChangeSerializer outer) {
            return outer.rows.clone();
        }

        @Override
        protected RoutedChangeSerializer createOuterSerializerWithNestedSerializers(
                TypeSerializer<?>[] nested) {
            return new RoutedChangeSerializer(nested);
        }
    }
}
