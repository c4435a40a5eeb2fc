package io.pgwalstream.changes;

import io.pgwalstream.protocol.TypeMessage;

/** Finds announced relations and types by OID. */
interface RelationLookup {

    /** The relation with this OID, or null if none was announced. */
    RelationSchema relation(int relationOid);

    /** The Type message for this type OID, or null if none was announced. */
    TypeMessage type(int typeOid);

    /**
     * The relation with this OID.
     *
     * @param lsn LSN of the message that needs it, for the error
     * @throws UnknownRelationException if none was announced
     */
    default RelationSchema require(int relationOid, long lsn) {
        RelationSchema schema = relation(relationOid);
        if (schema == null) {
            throw new UnknownRelationException(relationOid, lsn);
        }
        return schema;
    }
}
