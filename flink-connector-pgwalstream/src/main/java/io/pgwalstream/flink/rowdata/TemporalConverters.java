package io.pgwalstream.flink.rowdata;

import io.pgwalstream.flink.rowdata.PgConversionOptions.TemporalSpecialValues;
import io.pgwalstream.types.BinaryReads;
import io.pgwalstream.types.PgDateTimes;
import io.pgwalstream.types.PgNumerics;

import org.apache.flink.table.data.TimestampData;

/**
 * date → DATE (days since 1970-01-01 as Integer), time(p) → TIME (milliseconds of the day as
 * Integer: Flink keeps TIME at millisecond precision at runtime, so microseconds are truncated),
 * timestamp(p) → TIMESTAMP and timestamptz(p) → TIMESTAMP_LTZ ({@link TimestampData}, truncated to
 * the column's precision). Special values follow {@link
 * PgConversionOptions#TEMPORAL_SPECIAL_VALUES}.
 */
final class TemporalConverters {

    static final long MILLIS_PER_DAY = 86_400_000L;
    private static final long PG_EPOCH_MILLIS = PgDateTimes.PG_EPOCH_DAYS * MILLIS_PER_DAY;

    /** 0000-01-01 and 9999-12-31 as epoch days: the ends of Flink's DATE range. */
    static final int MIN_EPOCH_DAY = (int) PgDateTimes.epochDay(0, 1, 1);

    static final int MAX_EPOCH_DAY = (int) PgDateTimes.epochDay(9999, 12, 31);

    private TemporalConverters() {}

    /** Returns the replacement of a special value (null, or the clamp bound) or throws. */
    private static Object special(
            ColumnContext ctx,
            String problem,
            Object clamped,
            byte[] b,
            int off,
            int len,
            boolean bin) {
        TemporalSpecialValues policy = ctx.policies.temporalSpecialValues();
        switch (policy) {
            case NULL_WITH_WARNING:
                ctx.warn(
                        ConversionWarnings.Kind.TEMPORAL_SPECIAL_VALUE_NULLED,
                        "Temporal special value emitted as NULL: " + problem,
                        PgConversionOptions.TEMPORAL_SPECIAL_VALUES);
                return null;
            case CLAMP:
                ctx.warn(
                        ConversionWarnings.Kind.TEMPORAL_SPECIAL_VALUE_CLAMPED,
                        "Temporal special value clamped: " + problem,
                        PgConversionOptions.TEMPORAL_SPECIAL_VALUES);
                return clamped;
            default:
                throw ctx.fail(
                        problem,
                        b,
                        off,
                        len,
                        bin,
                        PgConversionOptions.TEMPORAL_SPECIAL_VALUES,
                        null);
        }
    }

    static final class DateConverter implements ValueConverter {
        private final ColumnContext ctx;
        private final PgDateTimes.Parser parser = new PgDateTimes.Parser();

        DateConverter(ColumnContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Object fromText(byte[] b, int off, int len) {
            int pgDays;
            try {
                pgDays = PgDateTimes.parseDate(parser, b, off, len);
            } catch (IllegalArgumentException e) {
                throw ctx.malformed(e, b, off, len, false);
            }
            return convert(pgDays, b, off, len, false);
        }

        @Override
        public Object fromBinary(byte[] b, int off, int len) {
            if (len != 4) {
                throw ctx.fail("malformed binary value: date must be 4 bytes", b, off, len, true);
            }
            return convert(BinaryReads.int32(b, off), b, off, len, true);
        }

        private Object convert(int pgDays, byte[] b, int off, int len, boolean bin) {
            if (pgDays == PgDateTimes.DATE_POS_INFINITY) {
                return special(
                        ctx, "date infinity has no DATE value", MAX_EPOCH_DAY, b, off, len, bin);
            }
            if (pgDays == PgDateTimes.DATE_NEG_INFINITY) {
                return special(
                        ctx, "date -infinity has no DATE value", MIN_EPOCH_DAY, b, off, len, bin);
            }
            return pgDays + PgDateTimes.PG_EPOCH_DAYS;
        }
    }

    static final class TimeConverter implements ValueConverter {
        private final ColumnContext ctx;
        private final PgDateTimes.Parser parser = new PgDateTimes.Parser();
        private final int truncateMillisTo;

        TimeConverter(int precision, ColumnContext ctx) {
            this.ctx = ctx;
            this.truncateMillisTo = precision >= 3 ? 1 : (int) PgNumerics.POW10[3 - precision];
        }

        @Override
        public Object fromText(byte[] b, int off, int len) {
            long micros;
            try {
                micros = PgDateTimes.parseTime(parser, b, off, len);
            } catch (IllegalArgumentException e) {
                throw ctx.malformed(e, b, off, len, false);
            }
            return convert(micros, b, off, len, false);
        }

        @Override
        public Object fromBinary(byte[] b, int off, int len) {
            if (len != 8) {
                throw ctx.fail("malformed binary value: time must be 8 bytes", b, off, len, true);
            }
            long micros = BinaryReads.int64(b, off);
            if (micros < 0 || micros > PgDateTimes.MICROS_PER_DAY) {
                throw ctx.fail("malformed binary value: time out of range", b, off, len, true);
            }
            return convert(micros, b, off, len, true);
        }

        private Object convert(long micros, byte[] b, int off, int len, boolean bin) {
            if (micros == PgDateTimes.MICROS_PER_DAY) {
                int max = (int) (MILLIS_PER_DAY - 1);
                return special(
                        ctx,
                        "time 24:00:00 has no TIME value",
                        max - max % truncateMillisTo,
                        b,
                        off,
                        len,
                        bin);
            }
            int millis = (int) (micros / 1000);
            return millis - millis % truncateMillisTo;
        }
    }

    /** timestamp → TIMESTAMP(p), timestamptz → TIMESTAMP_LTZ(p). */
    static final class TimestampConverter implements ValueConverter {
        private final ColumnContext ctx;
        private final PgDateTimes.Parser parser = new PgDateTimes.Parser();
        private final boolean withZone;
        private final long truncateMicrosTo;
        private final TimestampData max;
        private final TimestampData min;

        TimestampConverter(boolean withZone, int precision, ColumnContext ctx) {
            this.ctx = ctx;
            this.withZone = withZone;
            this.truncateMicrosTo = precision >= 6 ? 1 : PgNumerics.POW10[6 - precision];
            long maxMillis = (MAX_EPOCH_DAY + 1L) * MILLIS_PER_DAY - 1;
            int maxNanos;
            if (precision <= 3) {
                long step = PgNumerics.POW10[3 - Math.max(precision, 0)];
                maxMillis -= maxMillis % step;
                maxNanos = 0;
            } else {
                int nanos = 999_999;
                maxNanos = nanos - nanos % (int) PgNumerics.POW10[9 - Math.min(precision, 9)];
            }
            this.max = TimestampData.fromEpochMillis(maxMillis, maxNanos);
            this.min = TimestampData.fromEpochMillis(MIN_EPOCH_DAY * MILLIS_PER_DAY, 0);
        }

        @Override
        public Object fromText(byte[] b, int off, int len) {
            long micros;
            try {
                micros = PgDateTimes.parseTimestamp(parser, b, off, len, withZone);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw ctx.malformed(e, b, off, len, false);
            }
            return convert(micros, b, off, len, false);
        }

        @Override
        public Object fromBinary(byte[] b, int off, int len) {
            if (len != 8) {
                throw ctx.fail(
                        "malformed binary value: timestamp must be 8 bytes", b, off, len, true);
            }
            return convert(BinaryReads.int64(b, off), b, off, len, true);
        }

        private Object convert(long pgMicros, byte[] b, int off, int len, boolean bin) {
            if (pgMicros == PgDateTimes.TIMESTAMP_POS_INFINITY) {
                return special(ctx, "timestamp infinity has no Flink value", max, b, off, len, bin);
            }
            if (pgMicros == PgDateTimes.TIMESTAMP_NEG_INFINITY) {
                return special(
                        ctx, "timestamp -infinity has no Flink value", min, b, off, len, bin);
            }
            // Precision 6 (the usual case) keeps every microsecond: skip a long division.
            long micros =
                    truncateMicrosTo == 1
                            ? pgMicros
                            : pgMicros - Math.floorMod(pgMicros, truncateMicrosTo);
            long millis = Math.floorDiv(micros, 1000L) + PG_EPOCH_MILLIS;
            int nanos = (int) Math.floorMod(micros, 1000L) * 1000;
            return TimestampData.fromEpochMillis(millis, nanos);
        }
    }
}
