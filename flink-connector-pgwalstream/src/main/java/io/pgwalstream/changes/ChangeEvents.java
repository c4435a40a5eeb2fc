package io.pgwalstream.changes;

import io.pgwalstream.protocol.Delete;
import io.pgwalstream.protocol.Insert;
import io.pgwalstream.protocol.LogicalMessage;
import io.pgwalstream.protocol.StreamableMessage;
import io.pgwalstream.protocol.Truncate;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.protocol.Update;

import java.util.ArrayList;
import java.util.List;

/** Turns decoded change messages into {@link ChangeEvent}s. */
final class ChangeEvents {

    private ChangeEvents() {}

    /** Whether the message becomes an event (DML, TRUNCATE or a logical message). */
    static boolean isChange(StreamableMessage message) {
        return message instanceof Insert
                || message instanceof Update
                || message instanceof Delete
                || message instanceof Truncate
                || message instanceof LogicalMessage;
    }

    /**
     * The event for a change message.
     *
     * @param lsn LSN the message arrived with, for errors
     * @throws UnknownRelationException if the change names a relation {@code relations} does not
     *     know
     * @throws ChangeAssemblyException if a row does not have the relation's column count
     */
    static ChangeEvent of(
            StreamableMessage message,
            RelationLookup relations,
            TransactionInfo transaction,
            ChangePosition position,
            long lsn) {
        if (message instanceof Insert) {
            Insert m = (Insert) message;
            RelationSchema relation = relations.require(m.relationOid(), lsn);
            checkColumns(relation, m.newTuple(), "new", lsn);
            return ChangeEvent.insert(position, transaction, relation, m.newTuple());
        }
        if (message instanceof Update) {
            Update m = (Update) message;
            RelationSchema relation = relations.require(m.relationOid(), lsn);
            checkColumns(relation, m.newTuple(), "new", lsn);
            if (m.hasOldTuple()) {
                checkColumns(relation, m.oldTuple(), "old", lsn);
            }
            return ChangeEvent.update(
                    position, transaction, relation, m.oldTupleKind(), m.oldTuple(), m.newTuple());
        }
        if (message instanceof Delete) {
            Delete m = (Delete) message;
            RelationSchema relation = relations.require(m.relationOid(), lsn);
            checkColumns(relation, m.oldTuple(), "old", lsn);
            return ChangeEvent.delete(
                    position, transaction, relation, m.oldTupleKind(), m.oldTuple());
        }
        if (message instanceof Truncate) {
            Truncate m = (Truncate) message;
            List<RelationSchema> truncated = new ArrayList<>(m.relationCount());
            for (int i = 0; i < m.relationCount(); i++) {
                truncated.add(relations.require(m.relationOid(i), lsn));
            }
            return ChangeEvent.truncate(position, transaction, truncated, m.options());
        }
        if (message instanceof LogicalMessage) {
            return ChangeEvent.message(position, transaction, (LogicalMessage) message);
        }
        throw new IllegalArgumentException("not a change: " + message);
    }

    private static void checkColumns(
            RelationSchema relation, TupleData tuple, String which, long lsn) {
        if (tuple.columnCount() != relation.columnCount()) {
            throw new ChangeAssemblyException(
                    "the "
                            + which
                            + " row of a change to "
                            + relation.schemaName()
                            + '.'
                            + relation.tableName()
                            + " has "
                            + tuple.columnCount()
                            + " columns, its Relation message announced "
                            + relation.columnCount(),
                    lsn);
        }
    }
}
