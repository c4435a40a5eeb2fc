package io.pgwalstream.protocol;

import java.util.Objects;

/**
 * A WAL position: an unsigned 64-bit byte offset, written {@code HI/LO} in hex by PostgreSQL.
 *
 * <p>Comparison is unsigned, so {@code FFFFFFFF/FFFFFFFF} is the largest LSN. {@link #INVALID}
 * ({@code 0/0}) is PostgreSQL's {@code InvalidXLogRecPtr}.
 */
public record Lsn(long value) implements Comparable<Lsn>, java.io.Serializable {

    /** {@code 0/0}: no position. */
    public static final Lsn INVALID = new Lsn(0L);

    private static final int MAX_HALF_DIGITS = 8;

    /** Wraps a raw LSN as decoded from the protocol. */
    public static Lsn of(long value) {
        return value == 0L ? INVALID : new Lsn(value);
    }

    /**
     * Parses {@code HI/LO} hex as printed by the server. Either case is accepted and each half may
     * carry leading zeros (PostgreSQL 19 zero-pads the low half), up to 8 digits per half.
     *
     * @throws IllegalArgumentException if {@code text} is not of that form
     */
    public static Lsn parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        if (slash < 0 || text.indexOf('/', slash + 1) >= 0) {
            throw invalidText(text);
        }
        long hi = parseHalf(text, 0, slash);
        long lo = parseHalf(text, slash + 1, text.length());
        return of((hi << 32) | lo);
    }

    private static long parseHalf(String text, int from, int to) {
        int digits = to - from;
        if (digits < 1 || digits > MAX_HALF_DIGITS) {
            throw invalidText(text);
        }
        long result = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                throw invalidText(text);
            }
            result = (result << 4) | digit;
        }
        return result;
    }

    private static IllegalArgumentException invalidText(String text) {
        return new IllegalArgumentException(
                "Invalid LSN '"
                        + text
                        + "': expected two hex numbers of 1 to 8 digits, as in 16/B374D848");
    }

    /** Whether this is a real position, i.e. not {@code 0/0}. */
    public boolean isValid() {
        return value != 0L;
    }

    /**
     * This position moved by {@code bytes} (which may be negative).
     *
     * @throws ArithmeticException if the result leaves the unsigned 64-bit range
     */
    public Lsn plus(long bytes) {
        long result = value + bytes;
        boolean wrapped =
                bytes >= 0
                        ? Long.compareUnsigned(result, value) < 0
                        : Long.compareUnsigned(result, value) > 0;
        if (wrapped) {
            throw new ArithmeticException("LSN overflow: " + this + " + " + bytes);
        }
        return of(result);
    }

    public boolean isAfter(Lsn other) {
        return compareTo(other) > 0;
    }

    public boolean isBefore(Lsn other) {
        return compareTo(other) < 0;
    }

    public static Lsn max(Lsn a, Lsn b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    public static Lsn min(Lsn a, Lsn b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    /** {@code HI/LO} in upper-case hex without padding, as PostgreSQL up to 18 prints it. */
    @Override
    public String toString() {
        return format(value);
    }

    /** Formats a raw LSN like {@link #toString()} without wrapping it. */
    public static String format(long value) {
        return Long.toHexString(value >>> 32).toUpperCase()
                + '/'
                + Long.toHexString(value & 0xFFFF_FFFFL).toUpperCase();
    }
}
