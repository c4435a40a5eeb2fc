package io.pgwalstream.flink.typed;

import io.pgwalstream.changes.ChangeKind;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/**
 * Writes a {@link Change}: a presence byte (bit 0 before, bit 1 after, bit 2 commit time, bit 3
 * origin), the kind, schema, table, LSN, xid, then the optional parts; the rows through the row
 * type's serializer. Its snapshot nests that serializer's, so a row type that evolves (POJO fields
 * added) is checked by Flink's own rules.
 */
@Internal
public final class ChangeSerializer<T> extends TypeSerializer<Change<T>> {

    private static final long serialVersionUID = 1L;

    private static final int BEFORE = 1;
    private static final int AFTER = 2;
    private static final int COMMIT_TIME = 4;
    private static final int ORIGIN = 8;

    /** Fixed codes, not ordinals: the enum may grow or be reordered, written data may not. */
    private static final ChangeKind[] KINDS = {
        ChangeKind.SNAPSHOT, ChangeKind.INSERT, ChangeKind.UPDATE, ChangeKind.DELETE
    };

    private final TypeSerializer<T> rows;

    public ChangeSerializer(TypeSerializer<T> rows) {
        this.rows = Objects.requireNonNull(rows, "rows");
    }

    TypeSerializer<T> rows() {
        return rows;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<Change<T>> duplicate() {
        TypeSerializer<T> duplicate = rows.duplicate();
        return duplicate == rows ? this : new ChangeSerializer<>(duplicate);
    }

    @Override
    public Change<T> createInstance() {
        return null;
    }

    @Override
    public Change<T> copy(Change<T> from) {
        return new Change<>(
                from.kind(),
                from.before() == null ? null : rows.copy(from.before()),
                from.after() == null ? null : rows.copy(from.after()),
                from.schema(),
                from.table(),
                from.lsn(),
                from.xid(),
                from.commitTime(),
                from.origin());
    }

    @Override
    public Change<T> copy(Change<T> from, Change<T> reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Change<T> change, DataOutputView out) throws IOException {
        int present =
                (change.before() != null ? BEFORE : 0)
                        | (change.after() != null ? AFTER : 0)
                        | (change.commitTime() != null ? COMMIT_TIME : 0)
                        | (change.origin() != null ? ORIGIN : 0);
        out.writeByte(present);
        out.writeByte(code(change.kind()));
        out.writeUTF(change.schema());
        out.writeUTF(change.table());
        out.writeLong(change.lsn());
        out.writeLong(change.xid());
        if (change.commitTime() != null) {
            out.writeLong(change.commitTime().getEpochSecond());
            out.writeInt(change.commitTime().getNano());
        }
        if (change.origin() != null) {
            out.writeUTF(change.origin());
        }
        if (change.before() != null) {
            rows.serialize(change.before(), out);
        }
        if (change.after() != null) {
            rows.serialize(change.after(), out);
        }
    }

    @Override
    public Change<T> deserialize(DataInputView in) throws IOException {
        int present = in.readUnsignedByte();
        int kind = in.readUnsignedByte();
        if (kind >= KINDS.length) {
            throw new IOException("Unknown change kind " + kind + " in serialized data");
        }
        String schema = in.readUTF();
        String table = in.readUTF();
        long lsn = in.readLong();
        long xid = in.readLong();
        Instant commitTime =
                (present & COMMIT_TIME) != 0
                        ? Instant.ofEpochSecond(in.readLong(), in.readInt())
                        : null;
        String origin = (present & ORIGIN) != 0 ? in.readUTF() : null;
        T before = (present & BEFORE) != 0 ? rows.deserialize(in) : null;
        T after = (present & AFTER) != 0 ? rows.deserialize(in) : null;
        return new Change<>(
                KINDS[kind], before, after, schema, table, lsn, xid, commitTime, origin);
    }

    private static int code(ChangeKind kind) {
        for (int i = 0; i < KINDS.length; i++) {
            if (KINDS[i] == kind) {
                return i;
            }
        }
        throw new IllegalArgumentException("Not a row change: " + kind);
    }

    @Override
    public Change<T> deserialize(Change<T> reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChangeSerializer<?> other && rows.equals(other.rows);
    }

    @Override
    public int hashCode() {
        return rows.hashCode() * 31 + 11;
    }

    @Override
    public TypeSerializerSnapshot<Change<T>> snapshotConfiguration() {
        return new Snapshot<>(this);
    }

    /** Version 1: the change fields as {@link #serialize} writes them, the rows nested. */
    public static final class Snapshot<T>
            extends CompositeTypeSerializerSnapshot<Change<T>, ChangeSerializer<T>> {

        private static final int VERSION = 1;

        /** For Flink's reflective restore. */
        public Snapshot() {}

        Snapshot(ChangeSerializer<T> serializer) {
            super(serializer);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return VERSION;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(ChangeSerializer<T> outer) {
            return new TypeSerializer<?>[] {outer.rows};
        }

        @Override
        @SuppressWarnings("unchecked")
        protected ChangeSerializer<T> createOuterSerializerWithNestedSerializers(
                TypeSerializer<?>[] nested) {
            return new ChangeSerializer<>((TypeSerializer<T>) nested[0]);
        }
    }
}
