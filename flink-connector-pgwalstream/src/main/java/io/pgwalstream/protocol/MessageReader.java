package io.pgwalstream.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked big-endian cursor over one message in a caller's array. Every read checks the
 * remaining length first, so malformed input surfaces as {@link ProtocolDecodingException} and
 * never as an index or allocation error. Reused across messages by its owner; not thread-safe.
 */
final class MessageReader {

    private byte[] buf;
    private int start;
    private int pos;
    private int end;
    private int tag;
    private long lsn;

    void reset(byte[] buf, int offset, int length, long lsn) {
        this.buf = buf;
        this.start = offset;
        this.pos = offset;
        this.end = offset + length;
        this.tag = ProtocolDecodingException.NO_TAG;
        this.lsn = lsn;
    }

    byte[] buffer() {
        return buf;
    }

    int position() {
        return pos;
    }

    /** Absolute offset of the tag byte. */
    int start() {
        return start;
    }

    int remaining() {
        return end - pos;
    }

    int tag() {
        return tag;
    }

    long lsn() {
        return lsn;
    }

    /** Reads the leading tag byte and remembers it for error reports. */
    int readTag() {
        if (pos >= end) {
            throw error("empty message");
        }
        tag = buf[pos++] & 0xFF;
        return tag;
    }

    byte readByte(String field) {
        require(1, field);
        return buf[pos++];
    }

    int readUnsignedByte(String field) {
        return readByte(field) & 0xFF;
    }

    int readUnsignedShort(String field) {
        require(2, field);
        int value = BigEndian.getUnsignedShort(buf, pos);
        pos += 2;
        return value;
    }

    int readInt(String field) {
        require(4, field);
        int value = BigEndian.getInt(buf, pos);
        pos += 4;
        return value;
    }

    long readLong(String field) {
        require(8, field);
        long value = BigEndian.getLong(buf, pos);
        pos += 8;
        return value;
    }

    /** A flags byte that current servers always send as 0; PostgreSQL's own reader insists too. */
    void readZeroFlags(String field) {
        int at = pos;
        int flags = readUnsignedByte(field);
        if (flags != 0) {
            throw errorAt(at, field + " must be 0 but is " + flags);
        }
    }

    /**
     * A NUL-terminated string, which must end before the message does. pgoutput sends names in the
     * server encoding; we assume UTF-8 (the only encoding the connector supports for replication),
     * and malformed sequences become U+FFFD rather than errors.
     */
    String readString(String field) {
        int from = pos;
        int nul = from;
        while (nul < end && buf[nul] != 0) {
            nul++;
        }
        if (nul >= end) {
            throw error("unterminated string " + field);
        }
        pos = nul + 1;
        return nul == from ? "" : new String(buf, from, nul - from, StandardCharsets.UTF_8);
    }

    /** Skips a length already validated by the caller. */
    void skip(int length) {
        pos += length;
    }

    /**
     * Validates a TupleData at the current position: walks every column, checks each kind and
     * length against the message end, and returns a view of it. Nothing is allocated but the view.
     */
    TupleData readTuple(boolean binaryAllowed) {
        int tupleStart = pos;
        int columnCount = readUnsignedShort("tuple column count");
        // Each column takes at least its kind byte.
        if (columnCount > end - pos) {
            throw errorAt(
                    tupleStart,
                    "tuple column count "
                            + columnCount
                            + " exceeds the "
                            + (end - pos)
                            + " bytes left");
        }
        final byte[] b = buf;
        final int e = end;
        int p = pos;
        for (int i = 0; i < columnCount; i++) {
            byte kind = b[p];
            if (kind == ColumnKind.TEXT_TAG || kind == ColumnKind.BINARY_TAG) {
                if (kind == ColumnKind.BINARY_TAG && !binaryAllowed) {
                    throw errorAt(p, "binary column " + i + " but binary mode was not negotiated");
                }
                if (e - p - 1 < 4) {
                    throw errorAt(p + 1, "truncated length of column " + i);
                }
                int length = BigEndian.getInt(b, p + 1);
                if (length < 0 || length > e - p - 5) {
                    throw errorAt(
                            p + 1,
                            "column "
                                    + i
                                    + " length "
                                    + length
                                    + " outside the "
                                    + (e - p - 5)
                                    + " bytes left");
                }
                p += 5 + length;
            } else if (kind == ColumnKind.NULL_TAG || kind == ColumnKind.UNCHANGED_TOAST_TAG) {
                p++;
            } else {
                throw errorAt(p, "unknown kind " + (kind & 0xFF) + " of column " + i);
            }
            if (p >= e && i + 1 < columnCount) {
                throw errorAt(p, "tuple truncated after column " + i + " of " + columnCount);
            }
        }
        pos = p;
        return new TupleData(b, tupleStart, p, columnCount);
    }

    /** Rejects bytes after the last field: a length mismatch means we misread the layout. */
    void expectEnd() {
        if (pos != end) {
            throw error((end - pos) + " unexpected trailing bytes");
        }
    }

    void require(int length, String field) {
        if (end - pos < length) {
            throw error(
                    "truncated "
                            + field
                            + ": needs "
                            + length
                            + " bytes, "
                            + (end - pos)
                            + " left");
        }
    }

    ProtocolDecodingException error(String detail) {
        return errorAt(pos, detail);
    }

    ProtocolDecodingException errorAt(int absolutePosition, String detail) {
        return new ProtocolDecodingException(detail, tag, absolutePosition - start, lsn);
    }
}
