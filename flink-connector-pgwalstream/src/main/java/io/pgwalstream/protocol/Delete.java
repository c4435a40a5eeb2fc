package io.pgwalstream.protocol;

import java.util.Objects;

/**
 * {@code 'D'}: a removed row, identified by its key columns ({@code 'K'}) or, under REPLICA
 * IDENTITY FULL, the whole old row ({@code 'O'}).
 *
 * @param xid the streamed (sub)transaction inside a stream block, else {@link #NO_XID}
 * @param relationOid the table, as announced by a Relation
 * @param oldTupleKind KEY or FULL
 * @param oldTuple the old row
 */
public record Delete(int xid, int relationOid, OldTupleKind oldTupleKind, TupleData oldTuple)
        implements StreamableMessage {

    public static final byte TAG = 'D';

    public Delete {
        Objects.requireNonNull(oldTuple, "oldTuple");
        if (oldTupleKind == null || oldTupleKind == OldTupleKind.NONE) {
            throw new IllegalArgumentException("a Delete carries a KEY or FULL old tuple");
        }
    }

    @Override
    public byte tag() {
        return TAG;
    }
}
