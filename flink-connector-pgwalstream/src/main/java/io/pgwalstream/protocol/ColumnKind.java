package io.pgwalstream.protocol;

/** How one column of a TupleData is sent. */
public enum ColumnKind {
    /** {@code 'n'}: SQL NULL (also every non-key column of a {@code 'K'} tuple). */
    NULL(ColumnKind.NULL_TAG),
    /** {@code 'u'}: an unchanged TOASTed value that is not in the WAL; neither NULL nor absent. */
    UNCHANGED_TOAST(ColumnKind.UNCHANGED_TOAST_TAG),
    /** {@code 't'}: the type's text output, not NUL-terminated. */
    TEXT(ColumnKind.TEXT_TAG),
    /** {@code 'b'}: the type's binary send representation (binary mode only). */
    BINARY(ColumnKind.BINARY_TAG);

    static final byte NULL_TAG = 'n';
    static final byte UNCHANGED_TOAST_TAG = 'u';
    static final byte TEXT_TAG = 't';
    static final byte BINARY_TAG = 'b';

    private final byte tag;

    ColumnKind(byte tag) {
        this.tag = tag;
    }

    /** The wire byte. */
    public byte tag() {
        return tag;
    }

    /** Whether a length and value bytes follow the kind byte. */
    public boolean hasValue() {
        return this == TEXT || this == BINARY;
    }

    /**
     * The kind for a wire byte.
     *
     * @throws IllegalArgumentException for any other byte
     */
    public static ColumnKind fromTag(byte tag) {
        switch (tag) {
            case NULL_TAG:
                return NULL;
            case UNCHANGED_TOAST_TAG:
                return UNCHANGED_TOAST;
            case TEXT_TAG:
                return TEXT;
            case BINARY_TAG:
                return BINARY;
            default:
                throw new IllegalArgumentException("Unknown tuple column kind " + (tag & 0xFF));
        }
    }
}
