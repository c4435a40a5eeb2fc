package io.pgwalstream.protocol;

import java.util.Objects;

/**
 * {@code 'p'}: a streamed transaction was prepared; same layout as {@link Prepare}.
 *
 * @param prepareLsn LSN of the PREPARE record
 * @param prepareEndLsn end of the PREPARE record
 * @param prepareTime prepare time, PostgreSQL microseconds
 * @param xid the top-level transaction
 * @param gid the global transaction identifier
 */
public record StreamPrepare(
        long prepareLsn, long prepareEndLsn, long prepareTime, int xid, String gid)
        implements PgOutputMessage {

    public static final byte TAG = 'p';

    public StreamPrepare {
        Objects.requireNonNull(gid, "gid");
    }

    @Override
    public byte tag() {
        return TAG;
    }
}
