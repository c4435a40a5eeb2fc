package io.pgwalstream.changes;

import io.pgwalstream.protocol.Lsn;

/**
 * Where a change event sits in the totally ordered stream of committed changes: the transaction,
 * named by the LSN of its commit record, and the event's 1-based index in it.
 *
 * <p>Transactions reach the assembler in commit order, so positions increase strictly along the
 * stream: ordered by {@code commitLsn} (unsigned), then by {@code index}.
 *
 * <ul>
 *   <li>An event of a transaction has index 1 for its first event, 2 for the second, and so on:
 *       after emitting the event at index {@code n}, {@code n} events of the transaction were
 *       emitted.
 *   <li>A <b>non-transactional logical message</b> is a transaction of its own at {@code
 *       (messageLsn, messageLsn, 0)}. {@code messageLsn} is the end of the message's WAL record, so
 *       a transaction whose commit record directly follows it has the same {@code commitLsn}; index
 *       0 sorts the message before that transaction's events, matching the order in which
 *       PostgreSQL sends them (the message when its record is decoded, the transaction at its
 *       commit).
 * </ul>
 *
 * <p><b>{@code commitEndLsn} is not part of the identity.</b> It is the end of the commit record,
 * the LSN to confirm once the whole transaction was processed. Events of an ordinary (B…C)
 * transaction are emitted as they arrive, before the Commit message tells the end, so they carry
 * {@code commitEndLsn == 0}; streamed and prepared transactions are emitted at their commit and
 * carry the real value. Because the same transaction may arrive streamed in one walsender session
 * and whole in the next, {@link #equals}, {@link #hashCode} and {@link #compareTo} look at {@code
 * commitLsn} and {@code index} only: two positions that differ only in {@code commitEndLsn} name
 * the same event.
 *
 * @param commitLsn LSN of the commit record (Begin's final LSN, Stream Commit's or Commit
 *     Prepared's commit LSN), or the message LSN of a non-transactional message
 * @param commitEndLsn end of the commit record, 0 while unknown (events of ordinary transactions)
 * @param index 1-based index of the event in its transaction; 0 for a non-transactional message
 */
public record ChangePosition(long commitLsn, long commitEndLsn, long index)
        implements Comparable<ChangePosition> {

    /** The index of a non-transactional logical message. */
    public static final long NON_TRANSACTIONAL_INDEX = 0L;

    public ChangePosition {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative: " + index);
        }
    }

    /** The position of a non-transactional logical message. */
    public static ChangePosition ofNonTransactionalMessage(long messageLsn) {
        return new ChangePosition(messageLsn, messageLsn, NON_TRANSACTIONAL_INDEX);
    }

    /** Whether this is the position of a non-transactional logical message. */
    public boolean isNonTransactional() {
        return index == NON_TRANSACTIONAL_INDEX;
    }

    /** Whether {@link #commitEndLsn()} is known (not 0). */
    public boolean hasCommitEndLsn() {
        return commitEndLsn != 0L;
    }

    public boolean isAfter(ChangePosition other) {
        return compareTo(other) > 0;
    }

    public boolean isBefore(ChangePosition other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(ChangePosition other) {
        int byCommit = Long.compareUnsigned(commitLsn, other.commitLsn);
        return byCommit != 0 ? byCommit : Long.compare(index, other.index);
    }

    /** Equal when {@code commitLsn} and {@code index} are; see the class comment. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ChangePosition)) {
            return false;
        }
        ChangePosition other = (ChangePosition) o;
        return commitLsn == other.commitLsn && index == other.index;
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(commitLsn) + Long.hashCode(index);
    }

    /** E.g. {@code 0/16B3748#3 (end 0/16B3778)}, or {@code (end unknown)}. */
    @Override
    public String toString() {
        return Lsn.format(commitLsn)
                + '#'
                + index
                + (commitEndLsn == 0L
                        ? " (end unknown)"
                        : " (end " + Lsn.format(commitEndLsn) + ')');
    }
}
