package io.pgwalstream.protocol;

import java.util.Objects;

/**
 * {@code 'r'}: ROLLBACK PREPARED. The gid may name a transaction this client never saw prepared;
 * compare {@code prepareEndLsn} and {@code prepareTime} before acting.
 *
 * @param prepareEndLsn end of the PREPARE record
 * @param rollbackEndLsn end of the ROLLBACK PREPARED record
 * @param prepareTime prepare time, PostgreSQL microseconds
 * @param rollbackTime rollback time, PostgreSQL microseconds
 * @param xid the transaction
 * @param gid the global transaction identifier
 */
public record RollbackPrepared(
        long prepareEndLsn,
        long rollbackEndLsn,
        long prepareTime,
        long rollbackTime,
        int xid,
        String gid)
        implements PgOutputMessage {

    public static final byte TAG = 'r';

    public RollbackPrepared {
        Objects.requireNonNull(gid, "gid");
    }

    @Override
    public byte tag() {
        return TAG;
    }
}
