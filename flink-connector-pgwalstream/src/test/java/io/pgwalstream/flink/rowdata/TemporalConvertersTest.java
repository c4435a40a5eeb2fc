package io.pgwalstream.flink.rowdata;

import io.pgwalstream.flink.rowdata.PgConversionOptions.TemporalSpecialValues;
import io.pgwalstream.testing.values.Bin;
import io.pgwalstream.types.PgBuiltinType;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.TimestampData;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

import static io.pgwalstream.flink.rowdata.Converters.binary;
import static io.pgwalstream.flink.rowdata.Converters.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** date, time, timestamp and timestamptz in both wire forms. */
class TemporalConvertersTest {

    private static final LocalDate PG_EPOCH = LocalDate.of(2000, 1, 1);
    private static final LocalDateTime PG_EPOCH_TS = PG_EPOCH.atStartOfDay();

    private final Converters converters = new Converters();

    private static byte[] pgDate(LocalDate date) {
        return Bin.int4((int) ChronoUnit.DAYS.between(PG_EPOCH, date));
    }

    private static byte[] pgTimestamp(LocalDateTime ts) {
        return Bin.int8(ChronoUnit.MICROS.between(PG_EPOCH_TS, ts));
    }

    @Test
    void datesIncludingLeapDayBcAndFarFuture() {
        ValueConverter c = converters.of(PgBuiltinType.DATE, DataTypes.DATE());
        LocalDate[] dates = {
            LocalDate.of(2024, 2, 29),
            LocalDate.of(1970, 1, 1),
            LocalDate.of(2000, 1, 1),
            LocalDate.of(1999, 12, 31),
            LocalDate.of(1, 1, 1),
            LocalDate.of(-43, 3, 15), // 0044-03-15 BC
            LocalDate.of(0, 2, 29), // 0001-02-29 BC: year 1 BC was a leap year
            LocalDate.of(-4712, 1, 1), // 4713-01-01 BC: PostgreSQL's first date
            LocalDate.of(5874897, 12, 31), // PostgreSQL's last date
            LocalDate.of(10000, 1, 1),
        };
        String[] texts = {
            "2024-02-29",
            "1970-01-01",
            "2000-01-01",
            "1999-12-31",
            "0001-01-01",
            "0044-03-15 BC",
            "0001-02-29 BC",
            "4713-01-01 BC",
            "5874897-12-31",
            "10000-01-01"
        };
        for (int i = 0; i < dates.length; i++) {
            int expected = (int) dates[i].toEpochDay();
            assertThat(text(c, texts[i])).as(texts[i]).isEqualTo(expected);
            assertThat(binary(c, pgDate(dates[i]))).as(texts[i]).isEqualTo(expected);
        }
        assertThatThrownBy(() -> text(c, "2023-02-29"))
                .isInstanceOf(PgValueConversionException.class);
        assertThatThrownBy(() -> text(c, "02/29/2024"))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("DateStyle");
    }

    @Test
    void dateInfinityFollowsThePolicy() {
        ValueConverter failing = converters.of(PgBuiltinType.DATE, DataTypes.DATE());
        assertThatThrownBy(() -> text(failing, "infinity"))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("types.temporal.special-values");
        assertThatThrownBy(() -> binary(failing, Bin.int4(Integer.MIN_VALUE)))
                .isInstanceOf(PgValueConversionException.class);

        Converters clamp =
                new Converters()
                        .with(
                                ConversionPolicies.defaults()
                                        .withTemporalSpecialValues(TemporalSpecialValues.CLAMP));
        ValueConverter c = clamp.of(PgBuiltinType.DATE, DataTypes.DATE());
        assertThat(text(c, "infinity")).isEqualTo((int) LocalDate.of(9999, 12, 31).toEpochDay());
        assertThat(binary(c, Bin.int4(Integer.MIN_VALUE)))
                .isEqualTo((int) LocalDate.of(0, 1, 1).toEpochDay());
        assertThat(clamp.warnings.count(ConversionWarnings.Kind.TEMPORAL_SPECIAL_VALUE_CLAMPED))
                .isEqualTo(2);

        Converters nulls =
                new Converters()
                        .with(
                                ConversionPolicies.defaults()
                                        .withTemporalSpecialValues(
                                                TemporalSpecialValues.NULL_WITH_WARNING));
        ValueConverter n = nulls.of(PgBuiltinType.DATE, DataTypes.DATE());
        assertThat(text(n, "-infinity")).isNull();
        assertThat(binary(n, Bin.int4(Integer.MAX_VALUE))).isNull();
        assertThat(nulls.warnings.count(ConversionWarnings.Kind.TEMPORAL_SPECIAL_VALUE_NULLED))
                .isEqualTo(2);
    }

    @Test
    void timeKeepsMillisecondsAndTruncatesToThePrecision() {
        ValueConverter c = converters.of(PgBuiltinType.TIME.oid(), -1, DataTypes.TIME(6));
        assertThat(text(c, "00:00:00")).isEqualTo(0);
        assertThat(text(c, "23:59:59.999999")).isEqualTo(86_399_999);
        assertThat(text(c, "12:34:56.789"))
                .isEqualTo(millisOfDay(LocalTime.of(12, 34, 56, 789_000_000)));
        assertThat(binary(c, Bin.int8(45_296_789_123L))).isEqualTo(45_296_789);
        ValueConverter seconds = converters.of(PgBuiltinType.TIME.oid(), 0, DataTypes.TIME(0));
        assertThat(text(seconds, "12:34:56.789")).isEqualTo(45_296_000);
        ValueConverter tenths = converters.of(PgBuiltinType.TIME.oid(), -1, DataTypes.TIME(1));
        assertThat(binary(tenths, Bin.int8(45_296_789_123L))).isEqualTo(45_296_700);
        assertThatThrownBy(() -> text(c, "24:00:01"))
                .isInstanceOf(PgValueConversionException.class);
        assertThatThrownBy(() -> binary(c, Bin.int8(-1)))
                .isInstanceOf(PgValueConversionException.class);
    }

    @Test
    void time2400FollowsThePolicy() {
        ValueConverter failing = converters.of(PgBuiltinType.TIME.oid(), -1, DataTypes.TIME(3));
        assertThatThrownBy(() -> text(failing, "24:00:00"))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("types.temporal.special-values");
        Converters clamp =
                new Converters()
                        .with(
                                ConversionPolicies.defaults()
                                        .withTemporalSpecialValues(TemporalSpecialValues.CLAMP));
        assertThat(
                        binary(
                                clamp.of(PgBuiltinType.TIME.oid(), -1, DataTypes.TIME(3)),
                                Bin.int8(86_400_000_000L)))
                .isEqualTo(86_399_999);
        assertThat(text(clamp.of(PgBuiltinType.TIME.oid(), -1, DataTypes.TIME(0)), "24:00:00"))
                .isEqualTo(86_399_000);
    }

    @Test
    void timestampsBothForms() {
        ValueConverter c = converters.of(PgBuiltinType.TIMESTAMP.oid(), -1, DataTypes.TIMESTAMP(6));
        Object[][] cases = {
            {"2024-02-29 12:34:56.123456", LocalDateTime.of(2024, 2, 29, 12, 34, 56, 123_456_000)},
            {"1970-01-01 00:00:00", LocalDateTime.of(1970, 1, 1, 0, 0)},
            {"1969-12-31 23:59:59.999999", LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000)},
            {"2000-01-01 00:00:00", PG_EPOCH_TS},
            {"0044-03-15 12:00:00 BC", LocalDateTime.of(-43, 3, 15, 12, 0)},
            {
                "294276-12-31 23:59:59.999999",
                LocalDateTime.of(294276, 12, 31, 23, 59, 59, 999_999_000)
            },
            {"4713-01-01 00:00:00 BC", LocalDateTime.of(-4712, 1, 1, 0, 0)},
        };
        for (Object[] tc : cases) {
            TimestampData expected = TimestampData.fromLocalDateTime((LocalDateTime) tc[1]);
            assertThat(text(c, (String) tc[0])).as((String) tc[0]).isEqualTo(expected);
            assertThat(binary(c, pgTimestamp((LocalDateTime) tc[1])))
                    .as((String) tc[0])
                    .isEqualTo(expected);
        }
        assertThatThrownBy(() -> text(c, "2024-02-29 12:00:00+01"))
                .isInstanceOf(PgValueConversionException.class);
    }

    @Test
    void timestampPrecisionTruncatesTowardsThePast() {
        ValueConverter millis =
                converters.of(PgBuiltinType.TIMESTAMP.oid(), -1, DataTypes.TIMESTAMP(3));
        assertThat(text(millis, "1969-12-31 23:59:59.999999"))
                .isEqualTo(
                        TimestampData.fromLocalDateTime(
                                LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_000_000)));
        ValueConverter seconds =
                converters.of(PgBuiltinType.TIMESTAMP.oid(), -1, DataTypes.TIMESTAMP(0));
        assertThat(
                        binary(
                                seconds,
                                pgTimestamp(
                                        LocalDateTime.of(1999, 12, 31, 23, 59, 59, 500_000_000))))
                .isEqualTo(
                        TimestampData.fromLocalDateTime(
                                LocalDateTime.of(1999, 12, 31, 23, 59, 59)));
    }

    @Test
    void timestamptzOffsetsInTextAndUtcInBinary() {
        ValueConverter c =
                converters.of(PgBuiltinType.TIMESTAMPTZ.oid(), -1, DataTypes.TIMESTAMP_LTZ(6));
        Instant instant = Instant.parse("2024-02-29T11:34:56.123456Z");
        TimestampData expected = TimestampData.fromInstant(instant);
        assertThat(text(c, "2024-02-29 11:34:56.123456+00")).isEqualTo(expected);
        assertThat(text(c, "2024-02-29 12:34:56.123456+01")).isEqualTo(expected);
        assertThat(text(c, "2024-02-29 17:04:56.123456+05:30")).isEqualTo(expected);
        assertThat(text(c, "2024-02-29 01:34:56.123456-10")).isEqualTo(expected);
        assertThat(text(c, "2024-02-28 23:34:56.123456-12")).isEqualTo(expected);
        assertThat(
                        binary(
                                c,
                                Bin.int8(
                                        ChronoUnit.MICROS.between(
                                                Instant.parse("2000-01-01T00:00:00Z"), instant))))
                .isEqualTo(expected);
        // Local mean time offsets have seconds (Europe/Amsterdam before 1937: +00:19:32).
        assertThat(text(c, "1900-01-01 00:19:32+00:19:32"))
                .isEqualTo(TimestampData.fromInstant(Instant.parse("1900-01-01T00:00:00Z")));
        assertThat(text(c, "0044-03-15 12:00:00+00:17:30 BC"))
                .isEqualTo(
                        TimestampData.fromInstant(
                                LocalDateTime.of(-43, 3, 15, 11, 42, 30)
                                        .toInstant(java.time.ZoneOffset.UTC)));
        assertThatThrownBy(() -> text(c, "2024-02-29 11:34:56"))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("offset");
    }

    @Test
    void timestampInfinityFollowsThePolicy() {
        ValueConverter failing =
                converters.of(PgBuiltinType.TIMESTAMPTZ.oid(), -1, DataTypes.TIMESTAMP_LTZ(6));
        assertThatThrownBy(() -> text(failing, "infinity"))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("types.temporal.special-values")
                .hasMessageContaining("\"col\"")
                .hasMessageContaining("timestamptz");
        assertThatThrownBy(() -> binary(failing, Bin.int8(Long.MIN_VALUE)))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("\\x8000000000000000");

        Converters clamp =
                new Converters()
                        .with(
                                ConversionPolicies.defaults()
                                        .withTemporalSpecialValues(TemporalSpecialValues.CLAMP));
        assertThat(
                        text(
                                clamp.of(PgBuiltinType.TIMESTAMP.oid(), -1, DataTypes.TIMESTAMP(6)),
                                "infinity"))
                .isEqualTo(
                        TimestampData.fromLocalDateTime(
                                LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000)));
        assertThat(
                        binary(
                                clamp.of(PgBuiltinType.TIMESTAMP.oid(), -1, DataTypes.TIMESTAMP(3)),
                                Bin.int8(Long.MAX_VALUE)))
                .isEqualTo(
                        TimestampData.fromLocalDateTime(
                                LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_000_000)));
        assertThat(
                        binary(
                                clamp.of(PgBuiltinType.TIMESTAMP.oid(), -1, DataTypes.TIMESTAMP(9)),
                                Bin.int8(Long.MAX_VALUE)))
                .isEqualTo(
                        TimestampData.fromLocalDateTime(
                                LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999)));
        assertThat(
                        text(
                                clamp.of(
                                        PgBuiltinType.TIMESTAMPTZ.oid(),
                                        -1,
                                        DataTypes.TIMESTAMP_LTZ(6)),
                                "-infinity"))
                .isEqualTo(TimestampData.fromLocalDateTime(LocalDateTime.of(0, 1, 1, 0, 0)));

        Converters nulls =
                new Converters()
                        .with(
                                ConversionPolicies.defaults()
                                        .withTemporalSpecialValues(
                                                TemporalSpecialValues.NULL_WITH_WARNING));
        assertThat(
                        binary(
                                nulls.of(PgBuiltinType.TIMESTAMP.oid(), -1, DataTypes.TIMESTAMP(6)),
                                Bin.int8(Long.MAX_VALUE)))
                .isNull();
    }

    private static int millisOfDay(LocalTime t) {
        return (int) (t.toNanoOfDay() / 1_000_000);
    }
}
