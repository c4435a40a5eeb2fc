package io.pgwalstream.protocol;

/**
 * One pgoutput message, the payload of one logical XLogData.
 *
 * <p>LSNs are raw unsigned longs (wrap with {@link Lsn#of}), times are PostgreSQL microseconds (see
 * {@link PgTimestamps}), xids and OIDs are unsigned 32-bit values held in an {@code int} (use
 * {@link Integer#toUnsignedLong} to print them). Messages that may appear inside a Stream
 * Start…Stream Stop block are {@link StreamableMessage}s and carry the block's (sub)transaction xid
 * there.
 */
public sealed interface PgOutputMessage
        permits StreamableMessage,
                Begin,
                Commit,
                Origin,
                StreamStart,
                StreamStop,
                StreamCommit,
                StreamAbort,
                BeginPrepare,
                Prepare,
                CommitPrepared,
                RollbackPrepared,
                StreamPrepare {

    /** The wire tag, e.g. {@code 'I'} for Insert. */
    byte tag();
}
