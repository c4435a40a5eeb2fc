package io.pgwalstream.changes;

/**
 * What the {@link TransactionAssembler} hands out, in commit order: the {@link ChangeEvent}s of one
 * transaction, then the {@link TransactionCommitted} record that closes it. Events of different
 * transactions never interleave, and every event is followed by the record closing its transaction
 * (a non-transactional logical message counts as a transaction of one event).
 */
public sealed interface AssembledRecord permits ChangeEvent, TransactionCommitted {

    /** The transaction this record belongs to. */
    TransactionInfo transaction();
}
