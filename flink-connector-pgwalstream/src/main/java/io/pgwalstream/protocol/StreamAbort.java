package io.pgwalstream.protocol;

/**
 * {@code 'A'}: a streamed transaction ({@code subXid == xid}) or one of its subtransactions rolled
 * back. The abort LSN and time are sent only with {@code streaming=parallel}.
 *
 * <p>PostgreSQL 18 has been seen sending this message for a transaction that was never streamed,
 * even without streaming negotiated; consumers should ignore an abort for an unknown xid.
 *
 * @param xid the top-level transaction
 * @param subXid the aborted subtransaction, or {@code xid} for the whole transaction
 * @param hasAbortInfo whether the next two fields were sent
 * @param abortLsn LSN of the abort record, 0 without abort info
 * @param abortTime abort time in PostgreSQL microseconds, 0 without abort info
 */
public record StreamAbort(int xid, int subXid, boolean hasAbortInfo, long abortLsn, long abortTime)
        implements PgOutputMessage {

    public static final byte TAG = 'A';

    public StreamAbort {
        if (!hasAbortInfo && (abortLsn != 0L || abortTime != 0L)) {
            throw new IllegalArgumentException("abortLsn and abortTime need hasAbortInfo");
        }
    }

    /** Without the parallel-mode fields. */
    public static StreamAbort of(int xid, int subXid) {
        return new StreamAbort(xid, subXid, false, 0L, 0L);
    }

    /** Whether the whole transaction rather than a subtransaction was aborted. */
    public boolean abortsWholeTransaction() {
        return xid == subXid;
    }

    @Override
    public byte tag() {
        return TAG;
    }
}
