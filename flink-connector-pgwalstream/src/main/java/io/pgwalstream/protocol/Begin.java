package io.pgwalstream.protocol;

/**
 * {@code 'B'}: start of a committed transaction.
 *
 * @param finalLsn LSN of the commit record (equals the Commit's {@code commitLsn})
 * @param commitTime commit time, PostgreSQL microseconds
 * @param xid the top-level transaction id
 */
public record Begin(long finalLsn, long commitTime, int xid) implements PgOutputMessage {

    public static final byte TAG = 'B';

    @Override
    public byte tag() {
        return TAG;
    }
}
