package io.pgwalstream.protocol;

import java.util.Objects;

/**
 * {@code 'O'}: the replication origin of the current transaction, sent right after Begin (or the
 * first Stream Start).
 *
 * @param originCommitLsn the commit LSN on the origin server
 * @param originName the origin's name
 */
public record Origin(long originCommitLsn, String originName) implements PgOutputMessage {

    public static final byte TAG = 'O';

    public Origin {
        Objects.requireNonNull(originName, "originName");
    }

    @Override
    public byte tag() {
        return TAG;
    }
}
