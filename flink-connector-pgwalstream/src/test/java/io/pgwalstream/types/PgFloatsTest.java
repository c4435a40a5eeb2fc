package io.pgwalstream.types;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Float text parsing (fast path and fallback) and PostgreSQL-style shortest formatting. */
class PgFloatsTest {

    private static String format(double d) {
        ByteSink out = new ByteSink();
        PgFloats.formatDouble(d, out);
        return new String(out.toByteArray(), StandardCharsets.US_ASCII);
    }

    private static String format(float f) {
        ByteSink out = new ByteSink();
        PgFloats.formatFloat(f, out);
        return new String(out.toByteArray(), StandardCharsets.US_ASCII);
    }

    private static double parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return PgFloats.parseDouble(b, 0, b.length);
    }

    private static float parseFloat(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return PgFloats.parseFloat(b, 0, b.length);
    }

    @Test
    void formatsLikePostgres() {
        assertThat(format(1e20)).isEqualTo("1e+20");
        assertThat(format(1.5e-7)).isEqualTo("1.5e-07");
        assertThat(format(123456789012345.0)).isEqualTo("123456789012345");
        assertThat(format(1234567890123456.0)).isEqualTo("1.234567890123456e+15");
        assertThat(format(0.0001)).isEqualTo("0.0001");
        assertThat(format(0.00001)).isEqualTo("1e-05");
        assertThat(format(-0.0)).isEqualTo("-0");
        assertThat(format(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
        assertThat(format(Double.MIN_VALUE)).isEqualTo("5e-324");
        // PostgreSQL's Ryu never picks a decimal exactly half-way to a neighbour, even where it
        // would read back correctly (values checked against PostgreSQL 17).
        assertThat(format(2e23)).isEqualTo("1.9999999999999998e+23");
        assertThat(format(1e23)).isEqualTo("9.999999999999999e+22");
        assertThat(format(-5.6138231423375984e+16)).isEqualTo("-5.6138231423375984e+16");
        assertThat(format(9007199254740993.0)).isEqualTo("9.007199254740992e+15");
        assertThat(format(16777217f)).isEqualTo("1.6777216e+07");
        assertThat(format(100.0)).isEqualTo("100");
        assertThat(format(0.1f)).isEqualTo("0.1");
        assertThat(format(123456f)).isEqualTo("123456");
        assertThat(format(1234567f)).isEqualTo("1.234567e+06");
        assertThat(format(Float.MAX_VALUE)).isEqualTo("3.4028235e+38");
        assertThat(format(Float.MIN_VALUE)).isEqualTo("1e-45");
    }

    @Test
    void randomDoublesRoundTripThroughFormatAndParse() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(d)) {
                continue;
            }
            String text = format(d);
            assertThat(parse(text)).as(text).isEqualTo(d);
            assertThat(Double.parseDouble(text)).as(text).isEqualTo(d);
            // Shortest: one digit fewer never reads back (checked on the digit count).
            String digits =
                    text.replaceFirst("^-", "")
                            .replaceFirst("e.*", "")
                            .replace(".", "")
                            .replaceFirst("^0+", "");
            assertThat(digits.length()).as(text).isLessThanOrEqualTo(17);
        }
    }

    @Test
    void randomFloatsRoundTrip() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            if (Float.isNaN(f)) {
                continue;
            }
            String text = format(f);
            assertThat(parseFloat(text)).as(text).isEqualTo(f);
        }
    }

    @Test
    void parsingAgreesWithTheJdkOnDecimalInputs() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 50_000; i++) {
            long mantissa =
                    random.nextLong(1, 1_000_000_000_000_000L)
                            / (long) Math.pow(10, random.nextInt(0, 16));
            int exponent = random.nextInt(-30, 30);
            String text = (random.nextBoolean() ? "-" : "") + mantissa + "e" + exponent;
            assertThat(parse(text)).as(text).isEqualTo(Double.parseDouble(text));
            assertThat(parseFloat(text)).as(text).isEqualTo(Float.parseFloat(text));
            String fixed = mantissa + "." + random.nextInt(0, 1000);
            assertThat(parse(fixed)).as(fixed).isEqualTo(Double.parseDouble(fixed));
            assertThat(parseFloat(fixed)).as(fixed).isEqualTo(Float.parseFloat(fixed));
        }
    }
}
