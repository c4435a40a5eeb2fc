package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.XLogData;

import org.postgresql.copy.CopyDual;
import org.postgresql.util.ByteStreamWriter;

import java.sql.SQLException;

/**
 * The CopyBoth channel of one physical walsender session, as the session's I/O thread sees it: it
 * records how far the WAL handed over reaches and whether the session ended the stream itself.
 *
 * <p>On a finished (historic) timeline it also reports each XLogData's {@code walEnd} as the end of
 * that chunk's data. The server puts the timeline's switch point there from the very first chunk
 * (its send limit on that timeline), while the session ends a timeline once the received WAL end
 * reaches the switch point; left as sent, the session would stop after the first chunk. The
 * consumer loses nothing by it: on a historic timeline the server's value is the switch point,
 * which the session's {@link SessionStart} sequence makes known anyway. On the current timeline the
 * frames are passed on untouched.
 *
 * <p>Used by the I/O thread only.
 */
final class PhysicalCopyDual implements CopyDual {

    private static final int DATA_START_OFFSET = 1;
    private static final int WAL_END_OFFSET = 1 + 8;

    private final CopyDual delegate;
    private final long endLsn;
    private long dataEnd;
    private boolean endedByClient;

    /**
     * @param startLsn where the session starts streaming
     * @param endLsn the switch point of the historic timeline streamed, or {@code 0/0}
     */
    PhysicalCopyDual(CopyDual delegate, Lsn startLsn, Lsn endLsn) {
        this.delegate = delegate;
        this.dataEnd = startLsn.value();
        this.endLsn = endLsn.value();
    }

    /** The end of the WAL handed over so far: the next byte the stream would deliver. */
    Lsn dataEnd() {
        return Lsn.of(dataEnd);
    }

    /** Whether the session ended this stream with CopyDone (it reached its end LSN). */
    boolean endedByClient() {
        return endedByClient;
    }

    @Override
    public byte[] readFromCopy() throws SQLException {
        return readFromCopy(true);
    }

    @Override
    public byte[] readFromCopy(boolean block) throws SQLException {
        byte[] message = delegate.readFromCopy(block);
        if (message != null
                && message.length >= XLogData.HEADER_LENGTH
                && message[0] == XLogData.TAG) {
            long chunkEnd =
                    getLong(message, DATA_START_OFFSET) + (message.length - XLogData.HEADER_LENGTH);
            if (Long.compareUnsigned(chunkEnd, dataEnd) > 0) {
                dataEnd = chunkEnd;
            }
            if (endLsn != 0
                    && Long.compareUnsigned(chunkEnd, getLong(message, WAL_END_OFFSET)) < 0) {
                putLong(message, WAL_END_OFFSET, chunkEnd);
            }
        }
        return message;
    }

    @Override
    public long endCopy() throws SQLException {
        // Set first: whatever the answer to our CopyDone, everything up to dataEnd was handed over.
        endedByClient = true;
        return delegate.endCopy();
    }

    @Override
    public void writeToCopy(byte[] buf, int off, int siz) throws SQLException {
        delegate.writeToCopy(buf, off, siz);
    }

    @Override
    public void writeToCopy(ByteStreamWriter from) throws SQLException {
        delegate.writeToCopy(from);
    }

    @Override
    public void flushCopy() throws SQLException {
        delegate.flushCopy();
    }

    @Override
    public int getFieldCount() {
        return delegate.getFieldCount();
    }

    @Override
    public int getFormat() {
        return delegate.getFormat();
    }

    @Override
    public int getFieldFormat(int field) {
        return delegate.getFieldFormat(field);
    }

    @Override
    public boolean isActive() {
        return delegate.isActive();
    }

    @Override
    public void cancelCopy() throws SQLException {
        delegate.cancelCopy();
    }

    @Override
    public long getHandledRowCount() {
        return delegate.getHandledRowCount();
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }
}
