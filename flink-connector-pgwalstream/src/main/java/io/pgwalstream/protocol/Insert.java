package io.pgwalstream.protocol;

import java.util.Objects;

/**
 * {@code 'I'}: a new row.
 *
 * @param xid the streamed (sub)transaction inside a stream block, else {@link #NO_XID}
 * @param relationOid the table, as announced by a Relation
 * @param newTuple the row
 */
public record Insert(int xid, int relationOid, TupleData newTuple) implements StreamableMessage {

    public static final byte TAG = 'I';

    /** Marks the new tuple in Insert and Update. */
    static final byte NEW_TUPLE_TAG = 'N';

    public Insert {
        Objects.requireNonNull(newTuple, "newTuple");
    }

    @Override
    public byte tag() {
        return TAG;
    }
}
