package io.pgwalstream.snapshot;

import io.pgwalstream.protocol.ColumnKind;
import io.pgwalstream.protocol.TupleData;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Which chunk a streamed row's key falls in, decided in Java for keys that Java orders as
 * PostgreSQL does ({@link ChunkKey#orderedLikePostgres()}): integers by value, uuid by its 16
 * bytes, code-point-collated text by its UTF-8 bytes. Values may be in text or binary form.
 */
final class ChunkMembership {

    private ChunkMembership() {}

    /** Whether the key in {@code column} of {@code row} lies in {@code [lower, upper)}. */
    static boolean contains(ChunkKey key, String lower, String upper, TupleData row, int column) {
        if (!key.orderedLikePostgres()) {
            throw new IllegalArgumentException(
                    "Chunk key "
                            + key.column()
                            + " ("
                            + key.sqlType()
                            + ") is not ordered in Java");
        }
        if (row.isNull(column) || row.kind(column) == ColumnKind.UNCHANGED_TOAST) {
            throw new IllegalArgumentException(
                    "Chunk key " + key.column() + " has no value in a streamed row");
        }
        return (lower == null || compare(key, row, column, lower) >= 0)
                && (upper == null || compare(key, row, column, upper) < 0);
    }

    /** Sign of {@code value - bound}. */
    static int compare(ChunkKey key, TupleData row, int column, String bound) {
        byte[] value = row.valueBytes(column);
        boolean binary = row.kind(column) == ColumnKind.BINARY;
        if (key.isInteger()) {
            return Long.compare(integer(value, binary), Long.parseLong(bound));
        }
        if (key.typeOid() == ChunkKey.UUID_OID) {
            byte[] bytes = binary ? value : uuidBytes(new String(value, StandardCharsets.US_ASCII));
            return Arrays.compareUnsigned(bytes, uuidBytes(bound));
        }
        // Text: the same UTF-8 bytes in both forms; code-point order is unsigned byte order.
        return Integer.signum(
                Arrays.compareUnsigned(value, bound.getBytes(StandardCharsets.UTF_8)));
    }

    private static long integer(byte[] value, boolean binary) {
        if (!binary) {
            return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        }
        long n = value[0]; // sign-extends the most significant byte
        for (int i = 1; i < value.length; i++) {
            n = (n << 8) | (value[i] & 0xFF);
        }
        return n;
    }

    private static byte[] uuidBytes(String text) {
        return HexFormat.of().parseHex(text.replace("-", ""));
    }
}
