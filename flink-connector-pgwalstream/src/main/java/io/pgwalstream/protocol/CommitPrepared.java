package io.pgwalstream.protocol;

import java.util.Objects;

/**
 * {@code 'K'}: COMMIT PREPARED of an earlier prepared transaction.
 *
 * @param commitLsn LSN of the COMMIT PREPARED record
 * @param commitEndLsn end of that record
 * @param commitTime commit time, PostgreSQL microseconds
 * @param xid the transaction
 * @param gid the global transaction identifier
 */
public record CommitPrepared(
        long commitLsn, long commitEndLsn, long commitTime, int xid, String gid)
        implements PgOutputMessage {

    public static final byte TAG = 'K';

    public CommitPrepared {
        Objects.requireNonNull(gid, "gid");
    }

    @Override
    public byte tag() {
        return TAG;
    }
}
