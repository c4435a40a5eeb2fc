package io.pgwalstream.protocol;

/** A table's REPLICA IDENTITY setting, as sent in a Relation message. */
public enum ReplicaIdentity {
    /** {@code 'd'}: the primary key, if any. */
    DEFAULT((byte) 'd'),
    /** {@code 'n'}: no old row is logged. */
    NOTHING((byte) 'n'),
    /** {@code 'f'}: the whole old row is logged. */
    FULL((byte) 'f'),
    /** {@code 'i'}: the columns of a chosen unique index. */
    INDEX((byte) 'i');

    private final byte tag;

    ReplicaIdentity(byte tag) {
        this.tag = tag;
    }

    public byte tag() {
        return tag;
    }

    /**
     * The setting for {@code pg_class.relreplident} (the same letters as on the wire).
     *
     * @throws IllegalArgumentException if the letter is none of them
     */
    public static ReplicaIdentity fromCatalog(char relreplident) {
        ReplicaIdentity identity = fromTagOrNull(relreplident);
        if (identity == null) {
            throw new IllegalArgumentException("Unknown relreplident '" + relreplident + "'");
        }
        return identity;
    }

    /** The setting for a wire byte, or null if the byte is none of them. */
    static ReplicaIdentity fromTagOrNull(int tag) {
        switch (tag) {
            case 'd':
                return DEFAULT;
            case 'n':
                return NOTHING;
            case 'f':
                return FULL;
            case 'i':
                return INDEX;
            default:
                return null;
        }
    }
}
