package io.pgwalstream.flink.rowdata;

import io.pgwalstream.flink.rowdata.PgConversionOptions.NumericOverflow;
import io.pgwalstream.flink.rowdata.PgConversionOptions.NumericSpecialValues;
import io.pgwalstream.testing.values.Bin;
import io.pgwalstream.types.PgBuiltinType;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.StringData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static io.pgwalstream.flink.rowdata.Converters.binary;
import static io.pgwalstream.flink.rowdata.Converters.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bool, integers, floating point, numeric, money, xid8 and bytea in both wire forms. */
class ScalarConvertersTest {

    private final Converters converters = new Converters();

    @Test
    void booleans() {
        ValueConverter c = converters.of(PgBuiltinType.BOOL, DataTypes.BOOLEAN());
        assertThat(text(c, "t")).isEqualTo(true);
        assertThat(text(c, "f")).isEqualTo(false);
        assertThat(binary(c, new byte[] {1})).isEqualTo(true);
        assertThat(binary(c, new byte[] {0})).isEqualTo(false);
        assertThatThrownBy(() -> text(c, "true"))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("\"col\"")
                .hasMessageContaining("'true'");
        assertThatThrownBy(() -> binary(c, new byte[] {1, 0}))
                .isInstanceOf(PgValueConversionException.class);
    }

    @Test
    void int2MinMaxInBothForms() {
        ValueConverter c = converters.of(PgBuiltinType.INT2, DataTypes.SMALLINT());
        assertThat(text(c, "-32768")).isEqualTo(Short.MIN_VALUE);
        assertThat(text(c, "32767")).isEqualTo(Short.MAX_VALUE);
        assertThat(text(c, "0")).isEqualTo((short) 0);
        assertThat(binary(c, Bin.int2(-32768))).isEqualTo(Short.MIN_VALUE);
        assertThat(binary(c, Bin.int2(32767))).isEqualTo(Short.MAX_VALUE);
        assertThatThrownBy(() -> text(c, "32768")).isInstanceOf(PgValueConversionException.class);
    }

    @Test
    void int4MinMaxInBothForms() {
        ValueConverter c = converters.of(PgBuiltinType.INT4, DataTypes.INT());
        assertThat(text(c, "-2147483648")).isEqualTo(Integer.MIN_VALUE);
        assertThat(text(c, "2147483647")).isEqualTo(Integer.MAX_VALUE);
        assertThat(binary(c, Bin.int4(Integer.MIN_VALUE))).isEqualTo(Integer.MIN_VALUE);
        assertThat(binary(c, Bin.int4(Integer.MAX_VALUE))).isEqualTo(Integer.MAX_VALUE);
        assertThat(binary(c, Bin.int4(-1))).isEqualTo(-1);
        assertThatThrownBy(() -> text(c, "2147483648"))
                .isInstanceOf(PgValueConversionException.class);
        assertThatThrownBy(() -> text(c, "12a")).isInstanceOf(PgValueConversionException.class);
        assertThatThrownBy(() -> text(c, "")).isInstanceOf(PgValueConversionException.class);
        assertThatThrownBy(() -> binary(c, Bin.int2(1)))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("4 bytes");
    }

    @Test
    void int8MinMaxInBothForms() {
        ValueConverter c = converters.of(PgBuiltinType.INT8, DataTypes.BIGINT());
        assertThat(text(c, "-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(text(c, "9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(binary(c, Bin.int8(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
        assertThat(binary(c, Bin.int8(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> text(c, "9223372036854775808"))
                .isInstanceOf(PgValueConversionException.class);
        assertThatThrownBy(() -> text(c, "-9223372036854775809"))
                .isInstanceOf(PgValueConversionException.class);
    }

    @Test
    void unsignedOidXidCidAsBigint() {
        for (PgBuiltinType t :
                new PgBuiltinType[] {PgBuiltinType.OID, PgBuiltinType.XID, PgBuiltinType.CID}) {
            ValueConverter c = converters.of(t, DataTypes.BIGINT());
            assertThat(text(c, "4294967295")).isEqualTo(4_294_967_295L);
            assertThat(binary(c, Bin.int4(-1))).isEqualTo(4_294_967_295L);
            assertThat(binary(c, Bin.int4(0))).isEqualTo(0L);
        }
    }

    @Test
    void integerWidening() {
        assertThat(binary(converters.of(PgBuiltinType.INT2, DataTypes.BIGINT()), Bin.int2(-5)))
                .isEqualTo(-5L);
        assertThat(text(converters.of(PgBuiltinType.INT2, DataTypes.INT()), "-5")).isEqualTo(-5);
        assertThat(binary(converters.of(PgBuiltinType.INT4, DataTypes.BIGINT()), Bin.int4(7)))
                .isEqualTo(7L);
    }

    @Test
    void float8EdgeValues() {
        ValueConverter c = converters.of(PgBuiltinType.FLOAT8, DataTypes.DOUBLE());
        assertThat(text(c, "NaN")).isEqualTo(Double.NaN);
        assertThat(text(c, "Infinity")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(text(c, "-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Double.doubleToRawLongBits((Double) text(c, "-0")))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(Double.doubleToRawLongBits((Double) binary(c, Bin.float8(-0.0))))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(binary(c, Bin.float8(Double.NaN))).isEqualTo(Double.NaN);
        assertThat(binary(c, Bin.float8(Double.MIN_VALUE))).isEqualTo(Double.MIN_VALUE);
        assertThat(text(c, "1.7976931348623157e+308")).isEqualTo(Double.MAX_VALUE);
        assertThat(text(c, "5e-324")).isEqualTo(Double.MIN_VALUE);
        assertThat(text(c, "0.30000000000000004")).isEqualTo(0.1 + 0.2);
        assertThat(text(c, "1e+20")).isEqualTo(1e20);
        assertThat(text(c, "19.99")).isEqualTo(19.99);
        assertThatThrownBy(() -> text(c, "0x10")).isInstanceOf(PgValueConversionException.class);
        assertThatThrownBy(() -> text(c, "1d")).isInstanceOf(PgValueConversionException.class);
    }

    @Test
    void float4EdgeValues() {
        ValueConverter c = converters.of(PgBuiltinType.FLOAT4, DataTypes.FLOAT());
        assertThat(text(c, "NaN")).isEqualTo(Float.NaN);
        assertThat(text(c, "-Infinity")).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Float.floatToRawIntBits((Float) text(c, "-0")))
                .isEqualTo(Float.floatToRawIntBits(-0.0f));
        assertThat(text(c, "3.4028235e+38")).isEqualTo(Float.MAX_VALUE);
        assertThat(text(c, "1e-45")).isEqualTo(Float.MIN_VALUE);
        assertThat(text(c, "3.14159")).isEqualTo(3.14159f);
        assertThat(binary(c, Bin.float4(1.5f))).isEqualTo(1.5f);
        assertThat(text(converters.of(PgBuiltinType.FLOAT4, DataTypes.DOUBLE()), "0.1"))
                .isEqualTo((double) 0.1f);
    }

    @Test
    void numericToDecimalBothForms() {
        ValueConverter c =
                converters.of(PgBuiltinType.NUMERIC.oid(), typmod(10, 2), DataTypes.DECIMAL(10, 2));
        assertThat(text(c, "12345678.90")).isEqualTo(decimal("12345678.90", 10, 2));
        assertThat(text(c, "-0.05")).isEqualTo(decimal("-0.05", 10, 2));
        assertThat(binary(c, Bin.numeric(new BigDecimal("12345678.90"))))
                .isEqualTo(decimal("12345678.90", 10, 2));
        assertThat(binary(c, Bin.numeric(new BigDecimal("-0.05"))))
                .isEqualTo(decimal("-0.05", 10, 2));
        assertThat(binary(c, Bin.numeric(new BigDecimal("0.00"))))
                .isEqualTo(decimal("0.00", 10, 2));
    }

    @Test
    void numericRoundsHalfUpToTheDeclaredScale() {
        ValueConverter c = converters.of(PgBuiltinType.NUMERIC.oid(), -1, DataTypes.DECIMAL(10, 2));
        assertThat(text(c, "1.005")).isEqualTo(decimal("1.01", 10, 2));
        assertThat(text(c, "-1.005")).isEqualTo(decimal("-1.01", 10, 2));
        assertThat(text(c, "1.004999")).isEqualTo(decimal("1.00", 10, 2));
        assertThat(text(c, "7")).isEqualTo(decimal("7.00", 10, 2));
        assertThat(binary(c, Bin.numeric(new BigDecimal("99.999"))))
                .isEqualTo(decimal("100.00", 10, 2));
    }

    @Test
    void numericWideDecimals() {
        ValueConverter c =
                converters.of(
                        PgBuiltinType.NUMERIC.oid(), typmod(38, 10), DataTypes.DECIMAL(38, 10));
        String big = "1234567890123456789012345678.0123456789";
        assertThat(text(c, big)).isEqualTo(decimal(big, 38, 10));
        assertThat(binary(c, Bin.numeric(new BigDecimal(big)))).isEqualTo(decimal(big, 38, 10));
        String max = "9999999999999999999999999999.9999999999";
        assertThat(text(c, "-" + max)).isEqualTo(decimal("-" + max, 38, 10));
    }

    @Test
    void numericNaNAndInfinityFollowThePolicy() {
        ValueConverter failing =
                converters.of(PgBuiltinType.NUMERIC.oid(), -1, DataTypes.DECIMAL(10, 2));
        for (String special : new String[] {"NaN", "Infinity", "-Infinity"}) {
            assertThatThrownBy(() -> text(failing, special))
                    .isInstanceOf(PgValueConversionException.class)
                    .hasMessageContaining("types.numeric.special-values")
                    .hasMessageContaining("'" + special + "'");
        }
        assertThatThrownBy(() -> binary(failing, Bin.numericSpecial(0xC000)))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("types.numeric.special-values");

        Converters lenient =
                new Converters()
                        .with(
                                ConversionPolicies.defaults()
                                        .withNumericSpecialValues(
                                                NumericSpecialValues.NULL_WITH_WARNING));
        ValueConverter c = lenient.of(PgBuiltinType.NUMERIC.oid(), -1, DataTypes.DECIMAL(10, 2));
        assertThat(text(c, "NaN")).isNull();
        assertThat(binary(c, Bin.numericSpecial(0xD000))).isNull();
        assertThat(binary(c, Bin.numericSpecial(0xF000))).isNull();
        assertThat(lenient.warnings.count(ConversionWarnings.Kind.NUMERIC_SPECIAL_VALUE_NULLED))
                .isEqualTo(3);
    }

    @Test
    void numericOverflowFollowsThePolicy() {
        ValueConverter c = converters.of(PgBuiltinType.NUMERIC.oid(), -1, DataTypes.DECIMAL(5, 2));
        assertThatThrownBy(() -> text(c, "1000.00"))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("types.numeric.overflow");
        assertThatThrownBy(() -> text(c, "999.995")) // rounds up to 1000.00
                .isInstanceOf(PgValueConversionException.class);
        assertThat(text(c, "999.994")).isEqualTo(decimal("999.99", 5, 2));

        Converters lenient =
                new Converters()
                        .with(
                                ConversionPolicies.defaults()
                                        .withNumericOverflow(NumericOverflow.NULL_WITH_WARNING));
        ValueConverter l = lenient.of(PgBuiltinType.NUMERIC.oid(), -1, DataTypes.DECIMAL(5, 2));
        assertThat(text(l, "1000.00")).isNull();
        assertThat(lenient.warnings.count(ConversionWarnings.Kind.NUMERIC_OVERFLOW_NULLED))
                .isEqualTo(1);
    }

    @Test
    void thousandDigitNumericAsStringAndAsDecimal() {
        StringBuilder digits = new StringBuilder("-");
        for (int i = 0; i < 1000; i++) {
            digits.append((char) ('1' + i % 9));
        }
        digits.append(".000123");
        String value = digits.toString();
        // Unconstrained numeric maps to STRING: the exact text in both forms.
        ValueConverter asString =
                converters.of(PgBuiltinType.NUMERIC.oid(), -1, DataTypes.STRING());
        assertThat(text(asString, value)).isEqualTo(StringData.fromString(value));
        assertThat(binary(asString, Bin.numeric(new BigDecimal(value))))
                .isEqualTo(StringData.fromString(value));
        // It does not fit any DECIMAL.
        ValueConverter asDecimal =
                converters.of(PgBuiltinType.NUMERIC.oid(), -1, DataTypes.DECIMAL(38, 18));
        assertThatThrownBy(() -> binary(asDecimal, Bin.numeric(new BigDecimal(value))))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("(")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(600));
    }

    @Test
    void numericTextFormsFromBinary() {
        ValueConverter c = converters.of(PgBuiltinType.NUMERIC.oid(), -1, DataTypes.STRING());
        for (String v :
                new String[] {
                    "0",
                    "0.000",
                    "1",
                    "-1",
                    "10000",
                    "0.0001",
                    "123456789.000000001",
                    "-0.5",
                    "0.00000000000000000001",
                    "100000000000000000000",
                    "9999.9999"
                }) {
            assertThat(binary(c, Bin.numeric(new BigDecimal(v))).toString()).isEqualTo(v);
        }
        assertThat(binary(c, Bin.numericSpecial(0xC000)).toString()).isEqualTo("NaN");
        assertThat(binary(c, Bin.numericSpecial(0xD000)).toString()).isEqualTo("Infinity");
        assertThat(binary(c, Bin.numericSpecial(0xF000)).toString()).isEqualTo("-Infinity");
        assertThatThrownBy(() -> binary(c, new byte[] {0, 1, 0, 0}))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("malformed binary value");
    }

    @Test
    void moneyAsDecimal() {
        ValueConverter c = converters.of(PgBuiltinType.MONEY, DataTypes.DECIMAL(19, 2));
        assertThat(text(c, "$1,234.56")).isEqualTo(decimal("1234.56", 19, 2));
        assertThat(text(c, "-$1,234.56")).isEqualTo(decimal("-1234.56", 19, 2));
        assertThat(text(c, "($0.01)")).isEqualTo(decimal("-0.01", 19, 2));
        assertThat(text(c, "$92,233,720,368,547,758.07"))
                .isEqualTo(decimal("92233720368547758.07", 19, 2));
        assertThat(binary(c, Bin.int8(Long.MIN_VALUE)))
                .isEqualTo(decimal("-92233720368547758.08", 19, 2));
        assertThat(binary(c, Bin.int8(123456))).isEqualTo(decimal("1234.56", 19, 2));
        assertThatThrownBy(() -> text(c, "1.234,56 €"))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("lc_monetary");
        ValueConverter small = converters.of(PgBuiltinType.MONEY, DataTypes.DECIMAL(6, 2));
        assertThat(binary(small, Bin.int8(999999))).isEqualTo(decimal("9999.99", 6, 2));
        assertThatThrownBy(() -> binary(small, Bin.int8(1000000)))
                .isInstanceOf(PgValueConversionException.class);
    }

    @Test
    void xid8AsUnsignedDecimal() {
        ValueConverter c = converters.of(PgBuiltinType.XID8, DataTypes.DECIMAL(20, 0));
        assertThat(text(c, "18446744073709551615"))
                .isEqualTo(decimal("18446744073709551615", 20, 0));
        assertThat(binary(c, Bin.int8(-1))).isEqualTo(decimal("18446744073709551615", 20, 0));
        assertThat(binary(c, Bin.int8(42))).isEqualTo(decimal("42", 20, 0));
    }

    @Test
    void byteaHexEscapeAndBinary() {
        ValueConverter c = converters.of(PgBuiltinType.BYTEA, DataTypes.BYTES());
        assertThat((byte[]) text(c, "\\x")).isEmpty();
        assertThat((byte[]) text(c, "\\x00ff7F")).containsExactly(0, -1, 0x7f);
        assertThat((byte[]) text(c, "a\\\\b\\001\\377")).containsExactly('a', '\\', 'b', 1, -1);
        assertThat((byte[]) binary(c, new byte[] {0, 1, -128})).containsExactly(0, 1, -128);
        assertThat((byte[]) binary(c, new byte[0])).isEmpty();
        assertThatThrownBy(() -> text(c, "\\x0")).isInstanceOf(PgValueConversionException.class);
        assertThatThrownBy(() -> text(c, "\\xzz")).isInstanceOf(PgValueConversionException.class);
        assertThatThrownBy(() -> text(c, "a\\9")).isInstanceOf(PgValueConversionException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "-1", "0.5", "123.456", "-99999999.99"})
    void numericTextAndBinaryAgree(String v) {
        ValueConverter c = converters.of(PgBuiltinType.NUMERIC.oid(), -1, DataTypes.DECIMAL(20, 4));
        assertThat(binary(c, Bin.numeric(new BigDecimal(v)))).isEqualTo(text(c, v));
    }

    static int typmod(int precision, int scale) {
        return ((precision << 16) | (scale & 0x7FF)) + 4;
    }

    static DecimalData decimal(String v, int p, int s) {
        return DecimalData.fromBigDecimal(new BigDecimal(v), p, s);
    }
}
