package io.pgwalstream.flink.rowdata;

/**
 * Converts one column value, given as a slice of the message buffer, to Flink's internal data
 * structure for the column's type ({@code Boolean}, {@code Integer}, {@code StringData}, {@code
 * DecimalData}, {@code TimestampData}, {@code ArrayData}, …), or null where a policy says so.
 * Implementations are created per column, are not thread-safe and may keep scratch buffers.
 */
interface ValueConverter {

    /** A {@code 't'} value: the type's text output. */
    Object fromText(byte[] b, int off, int len);

    /** A {@code 'b'} value: the type's binary send format. */
    Object fromBinary(byte[] b, int off, int len);
}
