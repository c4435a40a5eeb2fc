package io.pgwalstream.tools.decode;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binary encodings against bytes PostgreSQL 17 printed, e.g. {@code SELECT
 * numeric_send(12345.67::numeric(12,2))}.
 */
class PgBinaryValuesTest {

    @Test
    void numericMatchesNumericSend() {
        // ndigits, weight, sign, dscale, digits (base 10000)
        assertThat(hex(PgBinaryValues.numeric(new BigDecimal("12345.67"))))
                .isEqualTo("0003" + "0001" + "0000" + "0002" + "0001" + "0929" + "1a2c");
        assertThat(hex(PgBinaryValues.numeric(new BigDecimal("-9876.05"))))
                .isEqualTo("0002" + "0000" + "4000" + "0002" + "2694" + "01f4");
        assertThat(hex(PgBinaryValues.numeric(new BigDecimal("0.05"))))
                .isEqualTo("0001" + "ffff" + "0000" + "0002" + "01f4");
        assertThat(hex(PgBinaryValues.numeric(new BigDecimal("0.00"))))
                .isEqualTo("0000" + "0000" + "0000" + "0002");
        assertThat(hex(PgBinaryValues.numeric(new BigDecimal("10000"))))
                .isEqualTo("0001" + "0001" + "0000" + "0000" + "0001");
        assertThat(hex(PgBinaryValues.numeric(new BigDecimal("1E+5"))))
                .isEqualTo("0001" + "0001" + "0000" + "0000" + "000a");
        assertThat(hex(PgBinaryValues.numeric(new BigDecimal("0.000012"))))
                .isEqualTo("0001" + "fffe" + "0000" + "0006" + "04b0");
    }

    @Test
    void fixedWidthTypes() {
        assertThat(hex(PgBinaryValues.int8(1_234_567L))).isEqualTo("000000000012d687");
        assertThat(hex(PgBinaryValues.int4(-2))).isEqualTo("fffffffe");
        assertThat(hex(PgBinaryValues.bool(true))).isEqualTo("01");
        assertThat(hex(PgBinaryValues.bool(false))).isEqualTo("00");
        // 2000-01-01 is 0; one day later is 86 400 000 000 µs.
        assertThat(hex(PgBinaryValues.timestamptz(Instant.parse("2000-01-02T00:00:00Z"))))
                .isEqualTo("000000141dd76000");
        assertThat(hex(PgBinaryValues.timestamptz(Instant.parse("1999-12-31T23:59:59.999999Z"))))
                .isEqualTo("ffffffffffffffff");
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
