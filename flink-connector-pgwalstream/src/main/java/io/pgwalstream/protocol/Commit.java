package io.pgwalstream.protocol;

/**
 * {@code 'C'}: end of a committed transaction. Confirm {@code endLsn}, not {@code commitLsn}: a
 * restart from the commit LSN replays the transaction.
 *
 * @param commitLsn LSN of the commit record
 * @param endLsn end of the commit record
 * @param commitTime commit time, PostgreSQL microseconds
 */
public record Commit(long commitLsn, long endLsn, long commitTime) implements PgOutputMessage {

    public static final byte TAG = 'C';

    @Override
    public byte tag() {
        return TAG;
    }
}
