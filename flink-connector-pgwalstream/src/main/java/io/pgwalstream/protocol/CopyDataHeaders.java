package io.pgwalstream.protocol;

/**
 * Reads the few header fields the replication I/O thread needs from a raw CopyData payload without
 * decoding a frame: it only tracks positions and answers keepalives, the consumer decodes.
 */
public final class CopyDataHeaders {

    private static final int XLOG_WAL_END_OFFSET = 1 + 8;
    private static final int KEEPALIVE_WAL_END_OFFSET = 1;
    private static final int KEEPALIVE_REPLY_OFFSET = 1 + 8 + 8;

    private CopyDataHeaders() {}

    /**
     * The server's WAL end carried by an XLogData or keepalive payload, or 0 for anything else or a
     * payload too short to hold it (the consumer's decoder reports malformed frames).
     */
    public static long walEnd(byte[] copyData) {
        if (copyData.length >= XLogData.HEADER_LENGTH && copyData[0] == XLogData.TAG) {
            return BigEndian.getLong(copyData, XLOG_WAL_END_OFFSET);
        }
        if (copyData.length >= PrimaryKeepalive.LENGTH && copyData[0] == PrimaryKeepalive.TAG) {
            return BigEndian.getLong(copyData, KEEPALIVE_WAL_END_OFFSET);
        }
        return 0L;
    }

    /** Whether this is a keepalive asking for an immediate status update. */
    public static boolean replyRequested(byte[] copyData) {
        return copyData.length >= PrimaryKeepalive.LENGTH
                && copyData[0] == PrimaryKeepalive.TAG
                && copyData[KEEPALIVE_REPLY_OFFSET] != 0;
    }

    public static boolean isKeepalive(byte[] copyData) {
        return copyData.length > 0 && copyData[0] == PrimaryKeepalive.TAG;
    }
}
