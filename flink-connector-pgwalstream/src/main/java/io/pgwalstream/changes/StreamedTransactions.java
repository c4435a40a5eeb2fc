package io.pgwalstream.changes;

import io.pgwalstream.protocol.StreamAbort;
import io.pgwalstream.protocol.StreamStart;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The streamed transactions of a session that are neither committed, aborted nor prepared yet, by
 * top-level xid, and the stream block currently open.
 */
final class StreamedTransactions {

    private final BufferMemory memory;
    private final Map<Integer, StreamedTransaction> byXid = new HashMap<>();
    private StreamedTransaction block;

    private volatile long strayAborts;
    private volatile long restarted;

    StreamedTransactions(BufferMemory memory) {
        this.memory = memory;
    }

    /** The transaction whose Stream Start…Stream Stop block is open, or null. */
    StreamedTransaction inBlock() {
        return block;
    }

    /** Whether a block is open or any transaction is buffered. */
    boolean isEmpty() {
        return block == null && byXid.isEmpty();
    }

    /**
     * Stream Start: opens a block. A first segment starts the transaction afresh — dropping what an
     * earlier session streamed of it, since after a reconnect it is streamed again from its start.
     */
    void start(StreamStart s, long lsn) {
        StreamedTransaction transaction = byXid.get(s.xid());
        if (s.firstSegment()) {
            if (transaction != null) {
                byXid.remove(s.xid());
                transaction.close();
                restarted++;
            }
            transaction =
                    new StreamedTransaction(
                            s.xid(), memory.newBuffer("xid-" + Integer.toUnsignedString(s.xid())));
            byXid.put(s.xid(), transaction);
        } else if (transaction == null) {
            throw new ChangeAssemblyException(
                    "Stream Start continues transaction "
                            + Integer.toUnsignedString(s.xid())
                            + ", whose first segment this session never received",
                    lsn);
        }
        block = transaction;
    }

    void stop() {
        block = null;
    }

    /**
     * Removes the transaction for its commit or prepare.
     *
     * @throws ChangeAssemblyException if this session never received it
     */
    StreamedTransaction take(int xid, String what, long lsn) {
        StreamedTransaction transaction = byXid.remove(xid);
        if (transaction == null) {
            throw new ChangeAssemblyException(
                    what
                            + " of transaction "
                            + Integer.toUnsignedString(xid)
                            + ", which this session never received",
                    lsn);
        }
        return transaction;
    }

    /**
     * Stream Abort: the whole transaction or one subtransaction and everything after its first
     * message. An abort of an unknown xid is ignored: PostgreSQL 18 sends them for transactions it
     * never streamed. An unknown subxid streamed nothing, so there is nothing to discard.
     */
    void abort(StreamAbort a) {
        StreamedTransaction transaction = byXid.get(a.xid());
        if (transaction == null) {
            strayAborts++;
        } else if (a.abortsWholeTransaction()) {
            byXid.remove(a.xid());
            transaction.close();
        } else {
            transaction.abortSubtransaction(a.subXid());
        }
    }

    /** Forgets everything; returns the transactions for the caller to close. */
    List<AutoCloseable> clear() {
        List<AutoCloseable> all = new ArrayList<>(byXid.values());
        byXid.clear();
        block = null;
        return all;
    }

    long strayAborts() {
        return strayAborts;
    }

    long restarted() {
        return restarted;
    }
}
