package io.pgwalstream.protocol;

/** Encodes server-to-client CopyBoth frames, for tests and fake servers. */
public final class ReplicationFrameEncoder {

    private ReplicationFrameEncoder() {}

    public static byte[] xLogData(long dataStart, long walEnd, long sendTime, byte[] payload) {
        return new ByteWriter()
                .u8(XLogData.TAG)
                .i64(dataStart)
                .i64(walEnd)
                .i64(sendTime)
                .bytes(payload)
                .toByteArray();
    }

    /** A logical XLogData carrying one pgoutput message, with dataStart == walEnd == lsn. */
    public static byte[] xLogData(long lsn, long sendTime, PgOutputMessage message) {
        return xLogData(lsn, lsn, sendTime, PgOutputEncoder.encode(message));
    }

    public static byte[] keepalive(long walEnd, long sendTime, boolean replyRequested) {
        return new ByteWriter()
                .u8(PrimaryKeepalive.TAG)
                .i64(walEnd)
                .i64(sendTime)
                .u8(replyRequested ? 1 : 0)
                .toByteArray();
    }

    public static byte[] encode(ReplicationFrame frame) {
        if (frame instanceof XLogData) {
            XLogData w = (XLogData) frame;
            return xLogData(w.dataStart(), w.walEnd(), w.sendTime(), w.payloadCopy());
        }
        PrimaryKeepalive k = (PrimaryKeepalive) frame;
        return keepalive(k.walEnd(), k.sendTime(), k.replyRequested());
    }
}
