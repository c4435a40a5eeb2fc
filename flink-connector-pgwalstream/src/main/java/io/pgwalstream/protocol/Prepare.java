package io.pgwalstream.protocol;

import java.util.Objects;

/**
 * {@code 'P'}: end of a prepared transaction that began with Begin Prepare.
 *
 * @param prepareLsn LSN of the PREPARE record
 * @param prepareEndLsn end of the PREPARE record
 * @param prepareTime prepare time, PostgreSQL microseconds
 * @param xid the transaction
 * @param gid the global transaction identifier
 */
public record Prepare(long prepareLsn, long prepareEndLsn, long prepareTime, int xid, String gid)
        implements PgOutputMessage {

    public static final byte TAG = 'P';

    public Prepare {
        Objects.requireNonNull(gid, "gid");
    }

    @Override
    public byte tag() {
        return TAG;
    }
}
