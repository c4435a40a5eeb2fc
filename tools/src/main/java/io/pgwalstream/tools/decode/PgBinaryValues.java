package io.pgwalstream.tools.decode;

import io.pgwalstream.protocol.PgTimestamps;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * PostgreSQL's binary ({@code send}) representations of the benchmark row's types, as pgoutput puts
 * them in {@code 'b'} columns with {@code binary=true}. Only what the benchmark fixtures need.
 */
public final class PgBinaryValues {

    private static final int NUMERIC_POS = 0x0000;
    private static final int NUMERIC_NEG = 0x4000;
    private static final int NBASE_DIGITS = 4;

    private PgBinaryValues() {}

    /** {@code int8send}: 8 bytes, big-endian. */
    public static byte[] int8(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    /** {@code int4send}: 4 bytes, big-endian. */
    public static byte[] int4(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    /** {@code boolsend}: one byte, 1 or 0. */
    public static byte[] bool(boolean value) {
        return new byte[] {(byte) (value ? 1 : 0)};
    }

    /** {@code timestamptz_send}: Int64 microseconds since 2000-01-01 00:00:00 UTC. */
    public static byte[] timestamptz(Instant value) {
        return int8(PgTimestamps.fromInstant(value));
    }

    /**
     * {@code numeric_send}: Int16 ndigits, Int16 weight, Int16 sign, Int16 dscale, then ndigits
     * Int16 base-10000 digits. {@code weight} is the power of 10000 of the first digit; leading and
     * trailing zero digits are not sent; zero is {@code ndigits = 0, weight = 0}. {@code dscale} is
     * the value's scale (digits after the point), 0 for a negative scale.
     */
    public static byte[] numeric(BigDecimal value) {
        int dscale = Math.max(value.scale(), 0);
        BigDecimal abs = value.abs().setScale(dscale);
        String digits = abs.unscaledValue().toString();
        // Split at the decimal point, then pad both sides to whole base-10000 digits.
        String integerPart;
        String fractionPart;
        if (digits.length() > dscale) {
            integerPart = digits.substring(0, digits.length() - dscale);
            fractionPart = digits.substring(digits.length() - dscale);
        } else {
            integerPart = "";
            fractionPart = "0".repeat(dscale - digits.length()) + digits;
        }
        integerPart = "0".repeat(padding(integerPart.length())) + integerPart;
        fractionPart = fractionPart + "0".repeat(padding(fractionPart.length()));
        String all = integerPart + fractionPart;
        int count = all.length() / NBASE_DIGITS;
        short[] groups = new short[count];
        for (int i = 0; i < count; i++) {
            groups[i] = Short.parseShort(all.substring(i * NBASE_DIGITS, (i + 1) * NBASE_DIGITS));
        }
        int weight = integerPart.length() / NBASE_DIGITS - 1;
        int first = 0;
        while (first < count && groups[first] == 0) {
            first++;
            weight--;
        }
        int last = count;
        while (last > first && groups[last - 1] == 0) {
            last--;
        }
        int ndigits = last - first;
        if (ndigits == 0) {
            weight = 0;
        }
        int sign = value.signum() < 0 && ndigits > 0 ? NUMERIC_NEG : NUMERIC_POS;
        ByteBuffer out = ByteBuffer.allocate(8 + 2 * ndigits);
        out.putShort((short) ndigits).putShort((short) weight);
        out.putShort((short) sign).putShort((short) dscale);
        for (int i = first; i < last; i++) {
            out.putShort(groups[i]);
        }
        return out.array();
    }

    private static int padding(int length) {
        return (NBASE_DIGITS - length % NBASE_DIGITS) % NBASE_DIGITS;
    }
}
