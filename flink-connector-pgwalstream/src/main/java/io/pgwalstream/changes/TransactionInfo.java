package io.pgwalstream.changes;

import io.pgwalstream.protocol.Lsn;

/**
 * The transaction a change event belongs to. One instance is shared by the events of a transaction.
 *
 * <p>A non-transactional logical message is given a transaction of its own ({@link
 * #nonTransactional}): xid 0, commit LSN and end LSN both the message LSN, no commit time. Rows of
 * an initial snapshot share one ({@link #snapshot}): xid 0, the snapshot's LSN, no commit time.
 *
 * @param xid the top-level transaction id (unsigned 32-bit in an int); 0 for a non-transactional
 *     message
 * @param commitLsn LSN of the commit record (for a prepared transaction: of COMMIT PREPARED)
 * @param commitEndLsn end of the commit record; 0 on the events of an ordinary (B…C) transaction,
 *     which are emitted before the Commit message tells it (the {@link TransactionCommitted} record
 *     that closes the transaction carries it)
 * @param commitTime commit time in PostgreSQL microseconds; 0 for a non-transactional message
 * @param originName replication origin of the transaction, or null
 * @param gid the two-phase global transaction id, or null if the transaction was not prepared
 */
public record TransactionInfo(
        int xid,
        long commitLsn,
        long commitEndLsn,
        long commitTime,
        String originName,
        String gid) {

    /** The pseudo-transaction of a non-transactional logical message. */
    public static TransactionInfo nonTransactional(long messageLsn) {
        return new TransactionInfo(0, messageLsn, messageLsn, 0L, null, null);
    }

    /**
     * The pseudo-transaction of rows read by an initial snapshot at {@code snapshotLsn}: xid 0, no
     * commit time.
     */
    public static TransactionInfo snapshot(long snapshotLsn) {
        return new TransactionInfo(0, snapshotLsn, 0L, 0L, null, null);
    }

    /** False for the pseudo-transactions of non-transactional messages and snapshot rows. */
    public boolean isTransaction() {
        return xid != 0;
    }

    public boolean hasCommitEndLsn() {
        return commitEndLsn != 0L;
    }

    public boolean wasPrepared() {
        return gid != null;
    }

    /** This transaction with its end LSN filled in. */
    TransactionInfo withCommitEndLsn(long endLsn) {
        return new TransactionInfo(xid, commitLsn, endLsn, commitTime, originName, gid);
    }

    @Override
    public String toString() {
        return "TransactionInfo[xid="
                + Integer.toUnsignedString(xid)
                + ", commitLsn="
                + Lsn.format(commitLsn)
                + ", commitEndLsn="
                + Lsn.format(commitEndLsn)
                + ", commitTime="
                + commitTime
                + (originName == null ? "" : ", origin=" + originName)
                + (gid == null ? "" : ", gid=" + gid)
                + ']';
    }
}
