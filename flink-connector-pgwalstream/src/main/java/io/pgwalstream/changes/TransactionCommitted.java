package io.pgwalstream.changes;

import io.pgwalstream.protocol.Lsn;

import java.util.Objects;

/**
 * Closes a transaction in the assembled stream: all {@code eventCount} events of {@code
 * transaction} were handed out before this record.
 *
 * <p>{@code safeConfirmLsn} is the LSN the source may report to the server as flushed once this
 * record (and so everything before it) is durably processed downstream: the transaction's {@code
 * commitEndLsn}, capped at the PREPARE LSN of the oldest prepared transaction that was still
 * unresolved when this record was produced (see {@link TransactionAssembler#safeConfirmLsn}). It is
 * computed here, in stream order, so that a checkpoint taken between two records confirms exactly
 * what was true at that point of the stream.
 *
 * @param transaction the transaction, with its end LSN
 * @param eventCount number of events it produced (0 for an empty transaction)
 * @param safeConfirmLsn the LSN that may be confirmed once this record is processed
 */
public record TransactionCommitted(
        TransactionInfo transaction, long eventCount, long safeConfirmLsn)
        implements AssembledRecord {

    public TransactionCommitted {
        Objects.requireNonNull(transaction, "transaction");
    }

    /**
     * The position of the transaction's last event: index {@code eventCount}, or 0 for an empty
     * transaction (no event has that position); for a non-transactional message, the message's
     * position.
     */
    public ChangePosition lastPosition() {
        if (!transaction.isTransaction()) {
            return ChangePosition.ofNonTransactionalMessage(transaction.commitLsn());
        }
        return new ChangePosition(transaction.commitLsn(), transaction.commitEndLsn(), eventCount);
    }

    @Override
    public String toString() {
        return "TransactionCommitted["
                + transaction
                + ", eventCount="
                + eventCount
                + ", safeConfirmLsn="
                + Lsn.format(safeConfirmLsn)
                + ']';
    }
}
