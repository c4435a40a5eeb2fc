package io.pgwalstream.changes;

/**
 * A top-level transaction being streamed (Stream Start…Stream Stop blocks) and not yet committed,
 * aborted or prepared: its raw messages (with their per-change xids, as they arrived inside the
 * blocks) and where each subtransaction's first message is.
 */
final class StreamedTransaction implements AutoCloseable {

    final int xid;
    final TransactionBuffer buffer;
    final SubtransactionIndex subtransactions = new SubtransactionIndex();

    /** From an Origin message after the first Stream Start, else null. */
    String originName;

    StreamedTransaction(int xid, TransactionBuffer buffer) {
        this.xid = xid;
        this.buffer = buffer;
    }

    /** Appends a message that arrived inside a block of this transaction. */
    void append(int messageXid, byte[] message, int offset, int length, long lsn) {
        long at = buffer.append(message, offset, length, lsn);
        if (messageXid != xid) {
            subtransactions.noteMessage(messageXid, at);
        }
    }

    /**
     * Stream Abort of subtransaction {@code subXid}: drops its messages and everything after them.
     *
     * @return whether anything of {@code subXid} was buffered
     */
    boolean abortSubtransaction(int subXid) {
        long from = subtransactions.firstOffset(subXid);
        if (from < 0) {
            return false;
        }
        buffer.truncate(from);
        subtransactions.truncate(from);
        return true;
    }

    @Override
    public void close() {
        buffer.close();
    }
}
