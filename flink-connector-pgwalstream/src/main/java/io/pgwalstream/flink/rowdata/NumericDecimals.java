package io.pgwalstream.flink.rowdata;

import io.pgwalstream.types.Ascii;
import io.pgwalstream.types.PgNumerics;

import org.apache.flink.table.data.DecimalData;

import java.math.BigDecimal;
import java.math.RoundingMode;

import static io.pgwalstream.types.PgNumerics.POW10;

/**
 * {@code numeric} text to {@link DecimalData} of a given precision and scale, rounding half-up when
 * there are more fractional digits than the scale (as Flink's casts do). Up to 18 result digits it
 * works on a {@code long} and allocates only the {@link DecimalData}; longer values go through
 * {@link BigDecimal}.
 */
final class NumericDecimals {

    /** {@link #toDecimal} result for NaN/±Infinity texts. */
    static final DecimalData SPECIAL = DecimalData.zero(1, 0);

    private NumericDecimals() {}

    /**
     * Converts a numeric text to a {@link DecimalData} of precision {@code p} and scale {@code s}.
     *
     * @return the value, {@link #SPECIAL} for NaN/±Infinity, or {@code null} if it needs more than
     *     {@code p} digits
     * @throws IllegalArgumentException if the text is not a number
     */
    static DecimalData toDecimal(byte[] b, int off, int len, int p, int s, char[] scratch) {
        if (PgNumerics.isSpecialText(b, off, len)) {
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
