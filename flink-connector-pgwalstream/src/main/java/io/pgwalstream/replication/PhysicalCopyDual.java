package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.XLogData;

import org.postgresql.copy.CopyDual;
import org.postgresql.util.ByteStreamWriter;

import java.sql.SQLException;

/**
 * The CopyBoth channel of one physical walsender session, as the session's I/O thread sees it: it
 * records how far the WAL handed over reaches and whether the session ended the stream itself, so
 * the next session can continue exactly there. Frames pass through untouched.
 *
 * <p>Used by the I/O thread only.
 */
final class PhysicalCopyDual implements CopyDual {

    private static final int DATA_START_OFFSET = 1;

    private final CopyDual delegate;
    private long dataEnd;
    private boolean endedByClient;

    /**
     * @param startLsn where the session starts streaming
     */
    PhysicalCopyDual(CopyDual delegate, Lsn startLsn) {
        this.delegate = delegate;
        this.dataEnd = startLsn.value();
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
}
