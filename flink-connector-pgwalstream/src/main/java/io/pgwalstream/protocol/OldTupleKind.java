package io.pgwalstream.protocol;

/** Which old row, if any, an Update or Delete carries. */
public enum OldTupleKind {
    /** No old row (Update only). */
    NONE((byte) 0),
    /** {@code 'K'}: the replica-identity columns; the others are sent as NULL. */
    KEY((byte) 'K'),
    /** {@code 'O'}: the whole old row (REPLICA IDENTITY FULL), TOASTed values inline. */
    FULL((byte) 'O');

    static final byte KEY_TAG = 'K';
    static final byte FULL_TAG = 'O';

    private final byte tag;

    OldTupleKind(byte tag) {
        this.tag = tag;
    }

    /** The wire byte; 0 for {@link #NONE}, which has none. */
    public byte tag() {
        return tag;
    }
}
