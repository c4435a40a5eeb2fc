package io.pgwalstream.protocol;

/**
 * Malformed replication input: a CopyBoth frame or a pgoutput message that does not follow the
 * documented layout, or a message the negotiated options do not allow. This is the only exception
 * the decoders throw for bad bytes; caller mistakes such as an offset outside the array still raise
 * the usual JDK exceptions.
 */
public final class ProtocolDecodingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** {@link #tag()} when the input was empty. */
    public static final int NO_TAG = -1;

    private final String detail;
    private final int tag;
    private final int offset;
    private final long lsn;

    /**
     * @param detail what was wrong, without the position
     * @param tag the message or frame tag as an unsigned byte, or {@link #NO_TAG}
     * @param offset where decoding failed, counted from the tag byte (offset 0)
     * @param lsn the LSN of the enclosing XLogData, or 0 when unknown
     */
    public ProtocolDecodingException(String detail, int tag, int offset, long lsn) {
        super(
                detail
                        + " ["
                        + describeTag(tag)
                        + ", offset "
                        + offset
                        + ", lsn "
                        + describeLsn(lsn)
                        + ']');
        this.detail = detail;
        this.tag = tag;
        this.offset = offset;
        this.lsn = lsn;
    }

    /** The failure without the position suffix. */
    public String detail() {
        return detail;
    }

    /** The tag byte (0..255) of the frame or message, or {@link #NO_TAG}. */
    public int tag() {
        return tag;
    }

    /** The tag as a character, or {@code '\0'} when there was none. */
    public char tagChar() {
        return tag == NO_TAG ? '\0' : (char) tag;
    }

    /** Byte offset of the failing field, relative to the tag byte. */
    public int offset() {
        return offset;
    }

    /** The raw LSN of the enclosing XLogData, 0 when unknown. */
    public long lsn() {
        return lsn;
    }

    public boolean hasLsn() {
        return lsn != 0L;
    }

    static String describeTag(int tag) {
        if (tag == NO_TAG) {
            return "no tag";
        }
        String hex = "0x" + (tag < 0x10 ? "0" : "") + Integer.toHexString(tag).toUpperCase();
        return tag >= 0x20 && tag < 0x7F ? "tag '" + (char) tag + "' (" + hex + ')' : "tag " + hex;
    }

    private static String describeLsn(long lsn) {
        return lsn == 0L ? "unknown" : Lsn.format(lsn);
    }
}
