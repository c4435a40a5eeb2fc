package io.pgwalstream.flink.table.data;

import org.apache.flink.table.data.DecimalData;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * {@code numeric} in both wire forms.
 *
 * <p>Binary ({@code numeric_send}): Int16 ndigits, Int16 weight, UInt16 sign ({@code 0x0000}
 * positive, {@code 0x4000} negative, {@code 0xC000} NaN, {@code 0xD000} +Infinity, {@code 0xF000}
 * -Infinity), Int16 dscale, then ndigits base-10000 digits; digit {@code i} is worth {@code
 * 10000^(weight - i)}. {@link #formatBinary} writes exactly what {@code numeric_out} would print.
 *
 * <p>Text: {@code -123.4500}, {@code NaN}, {@code Infinity}, {@code -Infinity}. {@link #toDecimal}
 * turns it into a {@link DecimalData} of a given precision and scale, rounding half-up when there
 * are more fractional digits than the scale (as Flink's casts do). Up to 18 result digits it works
 * on a {@code long} and allocates only the {@link DecimalData}; longer values go through {@link
 * BigDecimal}.
 */
final class PgNumerics {

    static final int SIGN_POS = 0x0000;
    static final int SIGN_NEG = 0x4000;
    static final int SIGN_NAN = 0xC000;
    static final int SIGN_PINF = 0xD000;
    static final int SIGN_NINF = 0xF000;

    /** {@link #toDecimal} result for NaN/±Infinity texts. */
    static final DecimalData SPECIAL = DecimalData.zero(1, 0);

    /** 10^0 … 10^18. */
    static final long[] POW10 = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private PgNumerics() {}

    /** Whether the text is {@code NaN}, {@code Infinity} or {@code -Infinity}. */
    static boolean isSpecialText(byte[] b, int off, int len) {
        return (len == 3 && Ascii.regionEquals(b, off, "NaN"))
                || (len == 8 && Ascii.regionEquals(b, off, "Infinity"))
                || (len == 9 && Ascii.regionEquals(b, off, "-Infinity"));
    }

    /**
     * Writes the text form of a binary numeric.
     *
     * @throws IllegalArgumentException if the bytes are not a valid numeric
     */
    static void formatBinary(byte[] b, int off, int len, ByteSink out) {
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

    /**
     * Converts a numeric text to a {@link DecimalData} of precision {@code p} and scale {@code s}.
     *
     * @return the value, {@link #SPECIAL} for NaN/±Infinity, or {@code null} if it needs more than
     *     {@code p} digits
     * @throws IllegalArgumentException if the text is not a number
     */
    static DecimalData toDecimal(byte[] b, int off, int len, int p, int s, char[] scratch) {
        if (isSpecialText(b, off, len)) {
            return SPECIAL;
        }
        int i = off;
        int end = off + len;
        boolean negative = false;
        if (i < end && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        int intStart = i;
        while (i < end && Ascii.isDigit(b[i])) {
            i++;
        }
        int intEnd = i;
        int fracStart = i;
        int fracEnd = i;
        if (i < end && b[i] == '.') {
            fracStart = ++i;
            while (i < end && Ascii.isDigit(b[i])) {
                i++;
            }
            fracEnd = i;
        }
        if (intEnd == intStart && fracEnd == fracStart) {
            throw new IllegalArgumentException("malformed numeric");
        }
        if (i != end) {
            return viaBigDecimal(b, off, len, p, s, scratch);
        }
        int firstSignificant = intStart;
        while (firstSignificant < intEnd && b[firstSignificant] == '0') {
            firstSignificant++;
        }
        int integerDigits = intEnd - firstSignificant;
        if (integerDigits + s > 18) {
            return viaBigDecimal(b, off, len, p, s, scratch);
        }
        long unscaled = 0;
        for (int k = firstSignificant; k < intEnd; k++) {
            unscaled = unscaled * 10 + (b[k] - '0');
        }
        int fracDigits = fracEnd - fracStart;
        for (int k = 0; k < s; k++) {
            unscaled = unscaled * 10 + (k < fracDigits ? b[fracStart + k] - '0' : 0);
        }
        if (fracDigits > s && b[fracStart + s] >= '5') {
            unscaled++; // half-up, on the magnitude
        }
        if (p < 19 && unscaled >= POW10[p]) {
            return null;
        }
        long signed = negative ? -unscaled : unscaled;
        if (p <= 18) {
            return DecimalData.fromUnscaledLong(signed, p, s);
        }
        return DecimalData.fromBigDecimal(BigDecimal.valueOf(signed, s), p, s);
    }

    private static DecimalData viaBigDecimal(
            byte[] b, int off, int len, int p, int s, char[] scratch) {
        char[] chars = len <= scratch.length ? scratch : new char[len];
        for (int k = 0; k < len; k++) {
            chars[k] = (char) (b[off + k] & 0xFF);
        }
        BigDecimal value;
        try {
            value = new BigDecimal(chars, 0, len);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed numeric");
        }
        BigDecimal scaled = value.setScale(s, RoundingMode.HALF_UP);
        if (scaled.precision() > p) {
            return null;
        }
        return DecimalData.fromBigDecimal(scaled, p, s);
    }
}
