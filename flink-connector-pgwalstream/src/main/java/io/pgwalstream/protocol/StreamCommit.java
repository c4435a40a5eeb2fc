package io.pgwalstream.protocol;

/**
 * {@code 'c'}: a streamed transaction committed; everything streamed for {@code xid} (minus aborted
 * subtransactions) now applies.
 *
 * @param xid the top-level transaction
 * @param commitLsn LSN of the commit record
 * @param endLsn end of the commit record
 * @param commitTime commit time, PostgreSQL microseconds
 */
public record StreamCommit(int xid, long commitLsn, long endLsn, long commitTime)
        implements PgOutputMessage {

    public static final byte TAG = 'c';

    @Override
    public byte tag() {
        return TAG;
    }
}
