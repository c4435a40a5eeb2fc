package io.pgwalstream.protocol;

/**
 * {@code 'S'}: opens a block of changes of an in-progress transaction. Until the matching Stream
 * Stop, streamable messages carry a (sub)transaction xid.
 *
 * @param xid the top-level transaction
 * @param firstSegment true for the first block of this transaction in this session; on a reconnect
 *     a transaction is re-streamed from its start, so drop partial state when it is set
 */
public record StreamStart(int xid, boolean firstSegment) implements PgOutputMessage {

    public static final byte TAG = 'S';

    @Override
    public byte tag() {
        return TAG;
    }
}
