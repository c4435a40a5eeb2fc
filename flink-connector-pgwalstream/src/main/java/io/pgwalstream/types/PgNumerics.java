package io.pgwalstream.types;

/**
 * {@code numeric} in both wire forms.
 *
 * <p>Binary ({@code numeric_send}): Int16 ndigits, Int16 weight, UInt16 sign ({@code 0x0000}
 * positive, {@code 0x4000} negative, {@code 0xC000} NaN, {@code 0xD000} +Infinity, {@code 0xF000}
 * -Infinity), Int16 dscale, then ndigits base-10000 digits; digit {@code i} is worth {@code
 * 10000^(weight - i)}. {@link #formatBinary} writes exactly what {@code numeric_out} would print.
 *
 * <p>Text: {@code -123.4500}, {@code NaN}, {@code Infinity}, {@code -Infinity}; the conversion to
 * Flink's {@code DecimalData} lives in {@code flink.rowdata.NumericDecimals}.
 */
public final class PgNumerics {

    public static final int SIGN_POS = 0x0000;
    public static final int SIGN_NEG = 0x4000;
    public static final int SIGN_NAN = 0xC000;
    public static final int SIGN_PINF = 0xD000;
    public static final int SIGN_NINF = 0xF000;

    /** 10^0 … 10^18. */
    public static final long[] POW10 = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private PgNumerics() {}

    /** Whether the text is {@code NaN}, {@code Infinity} or {@code -Infinity}. */
    public static boolean isSpecialText(byte[] b, int off, int len) {
        return (len == 3 && Ascii.regionEquals(b, off, "NaN"))
                || (len == 8 && Ascii.regionEquals(b, off, "Infinity"))
                || (len == 9 && Ascii.regionEquals(b, off, "-Infinity"));
    }

    /**
     * Writes the text form of a binary numeric.
     *
     * @throws IllegalArgumentException if the bytes are not a valid numeric
     */
    public static void formatBinary(byte[] b, int off, int len, ByteSink out) {
        if (len < 8) {
            throw new IllegalArgumentException("binary numeric shorter than its 8-byte header");
        }
        int ndigits = BinaryReads.uint16(b, off);
        int weight = BinaryReads.int16(b, off + 2);
        int sign = BinaryReads.uint16(b, off + 4);
        int dscale = BinaryReads.uint16(b, off + 6);
        if (len != 8 + 2 * ndigits) {
            throw new IllegalArgumentException(
                    "binary numeric with " + ndigits + " digits is " + len + " bytes long");
        }
        switch (sign) {
            case SIGN_NAN:
                out.append("NaN");
                return;
            case SIGN_PINF:
                out.append("Infinity");
                return;
            case SIGN_NINF:
                out.append("-Infinity");
                return;
            case SIGN_POS:
            case SIGN_NEG:
                break;
            default:
                throw new IllegalArgumentException(
                        "invalid numeric sign 0x" + Integer.toHexString(sign));
        }
        if ((dscale & 0xC000) != 0) {
            throw new IllegalArgumentException("invalid numeric dscale " + dscale);
        }
        int digitsOff = off + 8;
        if (sign == SIGN_NEG) {
            out.append('-');
        }
        if (weight < 0) {
            out.append('0');
        } else {
            for (int w = weight; w >= 0; w--) {
                int digit = digitAt(b, digitsOff, ndigits, weight - w);
                if (w == weight) {
                    out.appendLong(digit);
                } else {
                    out.appendPadded(digit, 4);
                }
            }
        }
        if (dscale > 0) {
            out.append('.');
            int written = 0;
            for (int w = -1; written < dscale; w--) {
                int digit = digitAt(b, digitsOff, ndigits, weight - w);
                int start = out.length();
                out.appendPadded(digit, 4);
                written += 4;
                if (written > dscale) {
                    out.setLength(start + 4 - (written - dscale));
                }
            }
        }
    }

    /** What {@link #unscaled} returns when it cannot give the value as a long. */
    public static final long NOT_A_LONG = Long.MIN_VALUE;

    /**
     * A binary numeric times 10^{@code scale}, rounded half-up — the value {@link #formatBinary}'s
     * text has at that scale — straight from the base-10000 digits, without the text.
     *
     * @return the unscaled value, or {@link #NOT_A_LONG} for NaN/±Infinity, bytes that are not a
     *     valid numeric, more than 4 digit groups, or a result of more than 18 digits (the caller
     *     then takes the text route, which also reports what is wrong)
     */
    public static long unscaled(byte[] b, int off, int len, int scale) {
        if (len < 8 || scale < 0 || scale > 18) {
            return NOT_A_LONG;
        }
        int ndigits = BinaryReads.uint16(b, off);
        int weight = BinaryReads.int16(b, off + 2);
        int sign = BinaryReads.uint16(b, off + 4);
        int dscale = BinaryReads.uint16(b, off + 6);
        if (ndigits > 4
                || len != 8 + 2 * ndigits
                || (sign != SIGN_POS && sign != SIGN_NEG)
                || (dscale & 0xC000) != 0) {
            return NOT_A_LONG;
        }
        long raw = 0;
        for (int i = 0; i < ndigits; i++) {
            int digit = BinaryReads.int16(b, off + 8 + 2 * i);
            if (digit < 0 || digit > 9999) {
                return NOT_A_LONG;
            }
            raw = raw * 10_000 + digit;
        }
        // raw has this many decimal places; negative when trailing zero groups were left out.
        int places = 4 * (ndigits - 1 - weight);
        if (places > dscale) {
            // Digits past the display scale are not in the text either.
            raw = dropDigits(raw, places - dscale);
            places = dscale;
        }
        long unscaled;
        if (places <= scale) {
            int up = scale - places;
            if (up > 18 || raw >= POW10[18 - Math.min(up, 18)]) {
                return raw == 0 ? 0 : NOT_A_LONG;
            }
            unscaled = raw * POW10[up];
        } else {
            int drop = places - scale;
            unscaled = dropDigits(raw, drop);
            if (drop <= 18 && raw % POW10[drop] >= 5 * POW10[drop - 1]) {
                unscaled++; // half-up, on the magnitude
            }
        }
        if (unscaled >= POW10[18]) {
            return NOT_A_LONG;
        }
        return sign == SIGN_NEG ? -unscaled : unscaled;
    }

    private static long dropDigits(long value, int digits) {
        return digits > 18 ? 0 : value / POW10[digits];
    }

    private static int digitAt(byte[] b, int digitsOff, int ndigits, int index) {
        if (index < 0 || index >= ndigits) {
            return 0;
        }
        int digit = BinaryReads.int16(b, digitsOff + 2 * index);
        if (digit < 0 || digit > 9999) {
            throw new IllegalArgumentException("invalid numeric digit " + digit);
        }
        return digit;
    }
}
