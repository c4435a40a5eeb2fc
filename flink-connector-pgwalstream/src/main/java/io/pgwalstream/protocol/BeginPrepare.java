package io.pgwalstream.protocol;

import java.util.Objects;

/**
 * {@code 'b'}: start of a transaction being prepared for two-phase commit.
 *
 * @param prepareLsn LSN of the PREPARE record
 * @param prepareEndLsn end of the PREPARE record
 * @param prepareTime prepare time, PostgreSQL microseconds
 * @param xid the transaction
 * @param gid the global transaction identifier
 */
public record BeginPrepare(
        long prepareLsn, long prepareEndLsn, long prepareTime, int xid, String gid)
        implements PgOutputMessage {

    public static final byte TAG = 'b';

    public BeginPrepare {
        Objects.requireNonNull(gid, "gid");
    }

    @Override
    public byte tag() {
        return TAG;
    }
}
