package io.pgwalstream.protocol;

/**
 * A message that can occur inside a Stream Start…Stream Stop block. There, and only there, it
 * starts with the xid of the (sub)transaction that produced it; elsewhere {@link #xid()} is {@link
 * #NO_XID}.
 */
public sealed interface StreamableMessage extends PgOutputMessage
        permits Relation, TypeMessage, Insert, Update, Delete, Truncate, LogicalMessage {

    /**
     * PostgreSQL's {@code InvalidTransactionId}: the message was not inside a stream block. A real
     * streamed change never has xid 0, so the decoder rejects 0 inside blocks.
     */
    int NO_XID = 0;

    /** The (sub)transaction xid inside a stream block, else {@link #NO_XID}. */
    int xid();

    default boolean hasXid() {
        return xid() != NO_XID;
    }
}
