package io.pgwalstream.protocol;

import java.util.Objects;

/**
 * {@code 'U'}: a changed row. The old row is present under REPLICA IDENTITY FULL ({@code 'O'}) and,
 * for other identities, as key columns ({@code 'K'}) when a key column changed.
 *
 * @param xid the streamed (sub)transaction inside a stream block, else {@link #NO_XID}
 * @param relationOid the table, as announced by a Relation
 * @param oldTupleKind which old row is present
 * @param oldTuple the old row, null exactly when {@code oldTupleKind} is NONE
 * @param newTuple the new row; unchanged TOASTed columns come as {@code 'u'}
 */
public record Update(
        int xid, int relationOid, OldTupleKind oldTupleKind, TupleData oldTuple, TupleData newTuple)
        implements StreamableMessage {

    public static final byte TAG = 'U';

    public Update {
        Objects.requireNonNull(oldTupleKind, "oldTupleKind");
        Objects.requireNonNull(newTuple, "newTuple");
        if ((oldTupleKind == OldTupleKind.NONE) != (oldTuple == null)) {
            throw new IllegalArgumentException(
                    "oldTuple must be null exactly when oldTupleKind is NONE");
        }
    }

    public boolean hasOldTuple() {
        return oldTuple != null;
    }

    @Override
    public byte tag() {
        return TAG;
    }
}
