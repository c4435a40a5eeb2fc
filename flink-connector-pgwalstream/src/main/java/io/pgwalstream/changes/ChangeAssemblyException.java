package io.pgwalstream.changes;

import io.pgwalstream.protocol.Lsn;

/**
 * The decoded messages do not form a valid pgoutput conversation (a Commit without a Begin, a
 * stream segment of a transaction whose start was never seen, …), or the assembler cannot do what
 * they ask without losing data. The assembler is unusable afterwards until {@link
 * TransactionAssembler#reset()}; the source should fail or reconnect.
 */
public class ChangeAssemblyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long lsn;

    /**
     * @param detail what was wrong
     * @param lsn LSN of the offending message, 0 when unknown
     */
    public ChangeAssemblyException(String detail, long lsn) {
        super(detail + " [lsn " + (lsn == 0L ? "unknown" : Lsn.format(lsn)) + ']');
        this.lsn = lsn;
    }

    public ChangeAssemblyException(String detail, long lsn, Throwable cause) {
        this(detail, lsn);
        initCause(cause);
    }

    /** LSN of the offending message, 0 when unknown. */
    public long lsn() {
        return lsn;
    }
}
