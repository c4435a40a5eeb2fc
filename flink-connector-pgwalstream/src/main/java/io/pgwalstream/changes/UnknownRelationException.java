package io.pgwalstream.changes;

/**
 * A change names a relation OID that no Relation message announced in this session (or in the
 * streamed transaction it belongs to). The change is never skipped: its table and columns are
 * unknown, so emitting or dropping it would both be wrong.
 */
public final class UnknownRelationException extends ChangeAssemblyException {

    private static final long serialVersionUID = 1L;

    private final int relationOid;

    public UnknownRelationException(int relationOid, long lsn) {
        super(
                "change for relation OID "
                        + Integer.toUnsignedString(relationOid)
                        + ", which no Relation message announced in this session",
                lsn);
        this.relationOid = relationOid;
    }

    public int relationOid() {
        return relationOid;
    }
}
