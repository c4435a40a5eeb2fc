package io.pgwalstream.types;

import io.pgwalstream.testing.values.Bin;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PgNumerics#unscaled} gives what the text form gives at the scale, or steps aside. */
class PgNumericsTest {

    private static final BigInteger LIMIT = BigInteger.TEN.pow(18);

    @Test
    void unscaledAgreesWithTheTextFormOnRandomValues() {
        Random random = new Random(20261203);
        int fast = 0;
        for (int i = 0; i < 200_000; i++) {
            BigDecimal value = randomValue(random);
            byte[] binary = Bin.numeric(value);
            int scale = random.nextInt(8);
            long unscaled = PgNumerics.unscaled(binary, 0, binary.length, scale);
            BigInteger expected =
                    viaText(binary).setScale(scale, RoundingMode.HALF_UP).unscaledValue();
            if (unscaled == PgNumerics.NOT_A_LONG) {
                int groups = BinaryReads.uint16(binary, 0);
                assertThat(groups > 4 || expected.abs().compareTo(LIMIT) >= 0)
                        .as("%s at scale %d could have been a long", value, scale)
                        .isTrue();
            } else {
                fast++;
                assertThat(BigInteger.valueOf(unscaled))
                        .as("%s at scale %d", value, scale)
                        .isEqualTo(expected);
            }
        }
        assertThat(fast).as("most values take the long route").isGreaterThan(100_000);
    }

    @Test
    void edgeCases() {
        assertThat(unscaled("0", 2)).isZero();
        assertThat(unscaled("-0.00", 2)).isZero();
        assertThat(unscaled("10000", 0)).isEqualTo(10_000);
        assertThat(unscaled("100000000", 2)).isEqualTo(10_000_000_000L);
        assertThat(unscaled("0.00001", 5)).isEqualTo(1);
        assertThat(unscaled("0.00005", 4)).isEqualTo(1);
        assertThat(unscaled("0.00004", 4)).isZero();
        assertThat(unscaled("-2.5", 0)).isEqualTo(-3);
        assertThat(unscaled("12345.675", 2)).isEqualTo(1_234_568);
        assertThat(unscaled("9999999999999999", 2)).isEqualTo(999_999_999_999_999_900L);
        assertThat(unscaled("9999999999999999", 3)).isEqualTo(PgNumerics.NOT_A_LONG);
        // Five digit groups: the text route.
        assertThat(unscaled("99999999999999999", 0)).isEqualTo(PgNumerics.NOT_A_LONG);
        assertThat(unscaled("1", 18)).isEqualTo(PgNumerics.NOT_A_LONG);
        byte[] nan = Bin.numericSpecial(PgNumerics.SIGN_NAN);
        assertThat(PgNumerics.unscaled(nan, 0, nan.length, 2)).isEqualTo(PgNumerics.NOT_A_LONG);
        byte[] bad = Bin.of().i16(1).i16(0).i16(0).i16(0).i16(10_000).build();
        assertThat(PgNumerics.unscaled(bad, 0, bad.length, 0)).isEqualTo(PgNumerics.NOT_A_LONG);
        assertThat(PgNumerics.unscaled(bad, 0, 7, 0)).isEqualTo(PgNumerics.NOT_A_LONG);
    }

    private static long unscaled(String value, int scale) {
        byte[] binary = Bin.numeric(new BigDecimal(value));
        return PgNumerics.unscaled(binary, 0, binary.length, scale);
    }

    private static BigDecimal viaText(byte[] binary) {
        ByteSink text = new ByteSink();
        PgNumerics.formatBinary(binary, 0, binary.length, text);
        return new BigDecimal(new String(text.toByteArray(), StandardCharsets.US_ASCII));
    }

    private static BigDecimal randomValue(Random random) {
        int digits = 1 + random.nextInt(20);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < digits; i++) {
            s.append((char) ('0' + random.nextInt(10)));
        }
        BigDecimal value = new BigDecimal(new BigInteger(s.toString()), random.nextInt(12) - 2);
        return random.nextBoolean() ? value.negate() : value;
    }
}
