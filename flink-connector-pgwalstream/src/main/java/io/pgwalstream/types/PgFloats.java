package io.pgwalstream.types;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * {@code float4}/{@code float8} text forms.
 *
 * <p>Parsing reads the bytes directly. Inputs with at most 15 significant digits and a decimal
 * exponent within ±22 (which covers PostgreSQL's shortest output of most "human" values such as
 * {@code 19.99} or {@code 1e+20}) are converted exactly with one double multiplication or division
 * (Clinger's fast path); anything else falls back to {@link Double#parseDouble} on a temporary
 * {@link String}, which is the only allocation here.
 *
 * <p>Formatting reproduces PostgreSQL's output with {@code extra_float_digits > 0} (the default
 * since 12): the shortest digits that read back to the same value, fixed notation for decimal
 * exponents in [-4, 15) ({@code float8}) or [-4, 6) ({@code float4}), otherwise {@code 1.5e+20}
 * with at least two exponent digits. It is used only for binary values that are rendered as text
 * (geometric types, composite fields) and may allocate.
 */
public final class PgFloats {

    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private PgFloats() {}

    /** Parses a float8 text form ({@code NaN}, {@code Infinity}, {@code -Infinity} included). */
    public static double parseDouble(byte[] b, int off, int len) {
        double special = special(b, off, len);
        if (special == special) { // not NaN: a special spelling was recognised
            return special;
        }
        if (len == 3 && Ascii.regionEquals(b, off, "NaN")) {
            return Double.NaN;
        }
        double fast = fastPath(b, off, len);
        if (fast == fast) {
            return fast;
        }
        return slowParse(b, off, len);
    }

    /** Parses a float4 text form. */
    public static float parseFloat(byte[] b, int off, int len) {
        double special = special(b, off, len);
        if (special == special) {
            return (float) special;
        }
        if (len == 3 && Ascii.regionEquals(b, off, "NaN")) {
            return Float.NaN;
        }
        double d = fastPath(b, off, len);
        // A double that is exactly half-way between two floats (or tiny) could round differently
        // than the decimal itself would: let the JDK decide those.
        if (d == d && Math.abs(d) >= Float.MIN_NORMAL && !isFloatMidpoint(d)) {
            return (float) d;
        }
        if (d == 0.0) {
            return (float) d;
        }
        try {
            return Float.parseFloat(new String(b, off, len, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed real");
        }
    }

    private static boolean isFloatMidpoint(double d) {
        long bits = Double.doubleToRawLongBits(d);
        // 52 - 23 = 29 mantissa bits are dropped when rounding to float.
        return (bits & ((1L << 29) - 1)) == (1L << 28);
    }

    /** ±Infinity for those spellings, else NaN (meaning "not special"). */
    private static double special(byte[] b, int off, int len) {
        if (len == 8 && Ascii.regionEquals(b, off, "Infinity")) {
            return Double.POSITIVE_INFINITY;
        }
        if (len == 9 && Ascii.regionEquals(b, off, "-Infinity")) {
            return Double.NEGATIVE_INFINITY;
        }
        return Double.NaN;
    }

    /** The exact value by Clinger's fast path, or NaN when the input is outside it. */
    private static double fastPath(byte[] b, int off, int len) {
        int p = off;
        int end = off + len;
        boolean negative = false;
        if (p < end && (b[p] == '-' || b[p] == '+')) {
            negative = b[p] == '-';
            p++;
        }
        long mantissa = 0;
        int significant = 0;
        int exponent = 0;
        boolean anyDigit = false;
        boolean seenPoint = false;
        for (; p < end; p++) {
            byte c = b[p];
            if (c >= '0' && c <= '9') {
                anyDigit = true;
                if (mantissa != 0 || c != '0') {
                    if (significant == 15) {
                        return Double.NaN;
                    }
                    mantissa = mantissa * 10 + (c - '0');
                    significant++;
                }
                if (seenPoint) {
                    exponent--;
                }
            } else if (c == '.' && !seenPoint) {
                seenPoint = true;
            } else {
                break;
            }
        }
        if (!anyDigit) {
            return Double.NaN;
        }
        if (p < end) {
            if (b[p] != 'e' && b[p] != 'E') {
                return Double.NaN;
            }
            p++;
            boolean expNegative = false;
            if (p < end && (b[p] == '-' || b[p] == '+')) {
                expNegative = b[p] == '-';
                p++;
            }
            if (p == end || end - p > 4) {
                return Double.NaN;
            }
            int e = 0;
            for (; p < end; p++) {
                if (!Ascii.isDigit(b[p])) {
                    return Double.NaN;
                }
                e = e * 10 + (b[p] - '0');
            }
            exponent += expNegative ? -e : e;
        }
        double value;
        if (mantissa == 0) {
            value = 0.0;
        } else if (exponent == 0) {
            value = mantissa;
        } else if (exponent > 0 && exponent <= 22) {
            value = (double) mantissa * POWERS_OF_TEN[exponent];
        } else if (exponent < 0 && exponent >= -22) {
            value = (double) mantissa / POWERS_OF_TEN[-exponent];
        } else {
            return Double.NaN;
        }
        return negative ? -value : value;
    }

    private static double slowParse(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            // Double.parseDouble also accepts "0x..", "1d", "1f" and surrounding spaces.
            if (!(Ascii.isDigit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                throw new IllegalArgumentException("malformed double precision");
            }
        }
        try {
            return Double.parseDouble(new String(b, off, len, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed double precision");
        }
    }

    // ---------------------------------------------------------------- formatting

    public static void formatDouble(double d, ByteSink out) {
        if (special(d, out)) {
            return;
        }
        double abs = Math.abs(d);
        BigDecimal exact = new BigDecimal(abs);
        BigDecimal lower = midpoint(exact, new BigDecimal(Math.nextDown(abs)));
        BigDecimal upper =
                abs == Double.MAX_VALUE
                        ? exact.add(new BigDecimal(Math.ulp(abs)).divide(TWO))
                        : midpoint(exact, new BigDecimal(Math.nextUp(abs)));
        write(shortest(exact, lower, upper, 17), d < 0, 15, out);
    }

    public static void formatFloat(float f, ByteSink out) {
        if (special(f, out)) {
            return;
        }
        float abs = Math.abs(f);
        BigDecimal exact = new BigDecimal(abs);
        BigDecimal lower = midpoint(exact, new BigDecimal(Math.nextDown(abs)));
        BigDecimal upper =
                abs == Float.MAX_VALUE
                        ? exact.add(new BigDecimal(Math.ulp(abs)).divide(TWO))
                        : midpoint(exact, new BigDecimal(Math.nextUp(abs)));
        write(shortest(exact, lower, upper, 9), f < 0, 6, out);
    }

    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    private static BigDecimal midpoint(BigDecimal a, BigDecimal b) {
        return a.add(b).divide(TWO);
    }

    private static boolean special(double d, ByteSink out) {
        if (Double.isNaN(d)) {
            out.append("NaN");
        } else if (d == Double.POSITIVE_INFINITY) {
            out.append("Infinity");
        } else if (d == Double.NEGATIVE_INFINITY) {
            out.append("-Infinity");
        } else if (d == 0) {
            out.append(1 / d < 0 ? "-0" : "0");
        } else {
            return false;
        }
        return true;
    }

    /**
     * The shortest decimal strictly between the two half-way points to the neighbouring binary
     * values, and among equally short ones the closest to the exact value. This is what
     * PostgreSQL's Ryu prints: it is built without {@code STRICTLY_SHORTEST}, so a decimal exactly
     * on a half-way point is never chosen even where reading it back would round to the value (e.g.
     * {@code -5.6138231423375984e+16}, not {@code -5.613823142337598e+16}).
     */
    private static BigDecimal shortest(
            BigDecimal exact, BigDecimal lower, BigDecimal upper, int maxDigits) {
        for (int digits = 1; digits < maxDigits; digits++) {
            BigDecimal nearest = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (nearest.compareTo(lower) > 0 && nearest.compareTo(upper) < 0) {
                return nearest;
            }
            RoundingMode other = nearest.compareTo(exact) > 0 ? RoundingMode.DOWN : RoundingMode.UP;
            BigDecimal neighbour = exact.round(new MathContext(digits, other));
            if (neighbour.compareTo(lower) > 0 && neighbour.compareTo(upper) < 0) {
                return neighbour;
            }
        }
        return exact.round(new MathContext(maxDigits, RoundingMode.HALF_EVEN));
    }

    private static void write(BigDecimal value, boolean negative, int fixedLimit, ByteSink out) {
        BigDecimal abs = value.abs().stripTrailingZeros();
        String digits = abs.unscaledValue().toString();
        int exponent = digits.length() - 1 - abs.scale(); // decimal exponent of the first digit
        if (negative) {
            out.append('-');
        }
        if (exponent >= -4 && exponent < fixedLimit) {
            if (exponent < 0) {
                out.append("0.");
                for (int i = -1; i > exponent; i--) {
                    out.append('0');
                }
                out.append(digits);
            } else if (digits.length() <= exponent + 1) {
                out.append(digits);
                for (int i = digits.length(); i <= exponent; i++) {
                    out.append('0');
                }
            } else {
                out.append(digits.substring(0, exponent + 1))
                        .append('.')
                        .append(digits.substring(exponent + 1));
            }
            return;
        }
        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits.substring(1));
        }
        out.append('e').append(exponent < 0 ? '-' : '+').appendPadded(Math.abs(exponent), 2);
    }
}
