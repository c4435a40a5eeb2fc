package io.pgwalstream.types;

/**
 * PostgreSQL dates, times and timestamps as they appear on the wire, in their binary
 * representation: dates are days since 2000-01-01, times microseconds since midnight, timestamps
 * microseconds since 2000-01-01 00:00:00 (UTC for {@code timestamptz}). {@code infinity} and {@code
 * -infinity} are the largest and smallest value of the integer type, as in PostgreSQL.
 *
 * <p>Text forms are parsed from and written to bytes (never through {@link String}). Only the ISO
 * {@code DateStyle} is understood ({@code 2024-02-29 12:34:56.5+01}, {@code 0044-03-15 BC}), which
 * is PostgreSQL's default and what {@code initdb} configures; other styles are rejected with an
 * {@link IllegalArgumentException} that names {@code DateStyle}. The calendar is the proleptic
 * Gregorian one, as in PostgreSQL; year 1 BC is astronomical year 0.
 */
public final class PgDateTimes {

    /** Days from 1970-01-01 to 2000-01-01. */
    public static final int PG_EPOCH_DAYS = 10_957;

    public static final long MICROS_PER_SECOND = 1_000_000L;
    public static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;
    public static final long PG_EPOCH_MICROS = PG_EPOCH_DAYS * MICROS_PER_DAY;

    public static final int DATE_NEG_INFINITY = Integer.MIN_VALUE;
    public static final int DATE_POS_INFINITY = Integer.MAX_VALUE;
    public static final long TIMESTAMP_NEG_INFINITY = Long.MIN_VALUE;
    public static final long TIMESTAMP_POS_INFINITY = Long.MAX_VALUE;

    private static final String STYLE_HINT =
            " (only the ISO DateStyle is supported: set DateStyle to 'ISO' for the replication"
                    + " role)";

    private PgDateTimes() {}

    // ---------------------------------------------------------------- calendar

    /** Days since 1970-01-01 of a proleptic Gregorian date (astronomical year numbering). */
    public static long epochDay(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        int mp = month > 2 ? month - 3 : month + 9;
        long doy = (153L * mp + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    /**
     * The civil date of an epoch day as {@code year * 10000 + month * 100 + day} split into an
     * array-free form: callers use {@link #yearOf}, {@link #monthOf}, {@link #dayOf}.
     */
    public static long civil(long epochDay) {
        long z = epochDay + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        if (m <= 2) {
            y++;
        }
        return y * 10_000 + (y < 0 ? -(m * 100 + d) : m * 100 + d);
    }

    public static long yearOf(long civil) {
        return civil / 10_000;
    }

    public static int monthOf(long civil) {
        return (int) (Math.abs(civil % 10_000) / 100);
    }

    public static int dayOf(long civil) {
        return (int) (Math.abs(civil % 10_000) % 100);
    }

    private static int daysInMonth(long year, int month) {
        switch (month) {
            case 2:
                boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                return leap ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    // ---------------------------------------------------------------- text parsing

    /** Parses an ISO date ({@code 2024-02-29}, {@code 0001-01-01 BC}, {@code infinity}). */
    public static int parseDate(Parser c, byte[] b, int off, int len) {
        int end = off + len;
        int special = infinity(b, off, len);
        if (special != 0) {
            return special > 0 ? DATE_POS_INFINITY : DATE_NEG_INFINITY;
        }
        c.reset(b, off, end);
        c.date();
        boolean bc = c.bc();
        c.expectEnd("date");
        long pgDays = c.epochDay(bc) - PG_EPOCH_DAYS;
        if (pgDays <= Integer.MIN_VALUE || pgDays >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("date out of range");
        }
        return (int) pgDays;
    }

    /** Parses a time of day ({@code 23:59:59.999999}, {@code 24:00:00}) into microseconds. */
    public static long parseTime(Parser c, byte[] b, int off, int len) {
        c.reset(b, off, off + len);
        long micros = c.time();
        c.expectEnd("time");
        return micros;
    }

    /**
     * Parses a time of day with a UTC offset ({@code 12:34:56.5+01}, {@code 23:00:00-03:30}) into
     * microseconds since midnight; {@link Parser#zoneOffsetSeconds()} then holds the offset east of
     * UTC.
     */
    public static long parseTimeTz(Parser c, byte[] b, int off, int len) {
        c.reset(b, off, off + len);
        long micros = c.time();
        c.offsetSeconds = c.zoneOffset();
        c.expectEnd("time with time zone");
        return micros;
    }

    /**
     * Parses an ISO timestamp into microseconds since 2000-01-01. With {@code withZone} the text
     * must carry a UTC offset ({@code +01}, {@code -03:30}, {@code +00:19:32}), which is subtracted
     * so that the result is UTC; without it an offset is an error.
     */
    public static long parseTimestamp(Parser c, byte[] b, int off, int len, boolean withZone) {
        int end = off + len;
        int special = infinity(b, off, len);
        if (special != 0) {
            return special > 0 ? TIMESTAMP_POS_INFINITY : TIMESTAMP_NEG_INFINITY;
        }
        c.reset(b, off, end);
        c.date();
        c.expect(' ', "timestamp");
        long timeMicros = c.time();
        int offsetSeconds = 0;
        if (withZone) {
            offsetSeconds = c.zoneOffset();
        }
        long epochDay = c.epochDay(c.bc());
        c.expectEnd(withZone ? "timestamp with time zone" : "timestamp");
        long micros =
                Math.addExact(
                        Math.multiplyExact(epochDay - PG_EPOCH_DAYS, MICROS_PER_DAY), timeMicros);
        return Math.subtractExact(micros, offsetSeconds * MICROS_PER_SECOND);
    }

    /** 1 for {@code infinity}, -1 for {@code -infinity}, else 0. */
    public static int infinity(byte[] b, int off, int len) {
        if (len == 8 && Ascii.regionEquals(b, off, "infinity")) {
            return 1;
        }
        if (len == 9 && Ascii.regionEquals(b, off, "-infinity")) {
            return -1;
        }
        return 0;
    }

    private static long checkedEpochDay(long year, int month, int day) {
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            throw new IllegalArgumentException("date field out of range");
        }
        return epochDay(year, month, day);
    }

    /** A parsing position over ASCII bytes; one per converter, reset for every value. */
    public static final class Parser {
        private byte[] b;
        private int end;
        private int p;
        private long year;
        private int month;
        private int day;
        private int offsetSeconds;

        /** The UTC offset (seconds east) of the last {@link #parseTimeTz}. */
        public int zoneOffsetSeconds() {
            return offsetSeconds;
        }

        Parser reset(byte[] b, int off, int end) {
            this.b = b;
            this.p = off;
            this.end = end;
            return this;
        }

        long digits(int min, int max, String field) {
            int start = p;
            long v = 0;
            while (p < end && p - start < max && Ascii.isDigit(b[p])) {
                v = v * 10 + (b[p] - '0');
                p++;
            }
            if (p - start < min) {
                throw new IllegalArgumentException(
                        "expected " + min + " or more digits for the " + field + STYLE_HINT);
            }
            return v;
        }

        void expect(char ch, String what) {
            if (p >= end || b[p] != ch) {
                throw new IllegalArgumentException("malformed " + what + STYLE_HINT);
            }
            p++;
        }

        void date() {
            year = digits(4, 10, "year");
            expect('-', "date");
            month = (int) digits(2, 2, "month");
            expect('-', "date");
            day = (int) digits(2, 2, "day");
        }

        /** The parsed date as an epoch day; year Y BC is astronomical year 1 - Y. */
        long epochDay(boolean bc) {
            if (bc && year < 1) {
                throw new IllegalArgumentException("year 0 is not valid with BC");
            }
            return checkedEpochDay(bc ? 1 - year : year, month, day);
        }

        long time() {
            long h = digits(2, 2, "hour");
            expect(':', "time");
            long m = digits(2, 2, "minute");
            expect(':', "time");
            long s = digits(2, 2, "second");
            long micros = 0;
            if (p < end && b[p] == '.') {
                p++;
                int start = p;
                long scale = 100_000;
                while (p < end && Ascii.isDigit(b[p])) {
                    if (p - start >= 6) {
                        throw new IllegalArgumentException("more than 6 fractional digits");
                    }
                    micros += (b[p] - '0') * scale;
                    scale /= 10;
                    p++;
                }
                if (p == start) {
                    throw new IllegalArgumentException("empty fraction of a second");
                }
            }
            if (m > 59 || s > 60 || h > 24) {
                throw new IllegalArgumentException("time field out of range");
            }
            long total = ((h * 60 + m) * 60 + s) * MICROS_PER_SECOND + micros;
            if (total > MICROS_PER_DAY) {
                throw new IllegalArgumentException("time field out of range");
            }
            return total;
        }

        /** Offset east of UTC in seconds: {@code +HH}, {@code +HH:MM} or {@code +HH:MM:SS}. */
        int zoneOffset() {
            if (p >= end || (b[p] != '+' && b[p] != '-')) {
                throw new IllegalArgumentException("missing UTC offset" + STYLE_HINT);
            }
            int sign = b[p] == '-' ? -1 : 1;
            p++;
            long seconds = digits(2, 2, "offset hours") * 3600;
            if (p < end && b[p] == ':') {
                p++;
                seconds += digits(2, 2, "offset minutes") * 60;
                if (p < end && b[p] == ':') {
                    p++;
                    seconds += digits(2, 2, "offset seconds");
                }
            }
            return (int) (sign * seconds);
        }

        boolean bc() {
            if (end - p == 3 && b[p] == ' ' && b[p + 1] == 'B' && b[p + 2] == 'C') {
                p = end;
                return true;
            }
            return false;
        }

        void expectEnd(String what) {
            if (p != end) {
                throw new IllegalArgumentException("trailing characters in " + what + STYLE_HINT);
            }
        }
    }

    // ---------------------------------------------------------------- text formatting

    /** Writes a date in PostgreSQL's ISO output form. */
    public static void formatDate(int pgDays, ByteSink out) {
        if (pgDays == DATE_POS_INFINITY) {
            out.append("infinity");
            return;
        }
        if (pgDays == DATE_NEG_INFINITY) {
            out.append("-infinity");
            return;
        }
        boolean bc = writeDate((long) pgDays + PG_EPOCH_DAYS, out);
        if (bc) {
            out.append(" BC");
        }
    }

    /** Writes the date part; returns whether " BC" must follow the whole value. */
    private static boolean writeDate(long epochDay, ByteSink out) {
        long civil = civil(epochDay);
        long year = yearOf(civil);
        boolean bc = year <= 0;
        out.appendPadded(bc ? 1 - year : year, 4)
                .append('-')
                .appendPadded(monthOf(civil), 2)
                .append('-')
                .appendPadded(dayOf(civil), 2);
        return bc;
    }

    /** Writes {@code HH:MM:SS[.ffffff]} for microseconds since midnight (up to 24:00:00). */
    public static void formatTime(long micros, ByteSink out) {
        long seconds = micros / MICROS_PER_SECOND;
        out.appendPadded(seconds / 3600, 2)
                .append(':')
                .appendPadded((seconds / 60) % 60, 2)
                .append(':')
                .appendPadded(seconds % 60, 2)
                .appendMicrosFraction((int) (micros % MICROS_PER_SECOND));
    }

    /**
     * Writes a UTC offset as PostgreSQL does: {@code +HH}, {@code +HH:MM} when minutes are set,
     * {@code +HH:MM:SS} when seconds are set.
     */
    public static void formatOffset(int offsetEastSeconds, ByteSink out) {
        int abs = Math.abs(offsetEastSeconds);
        out.append(offsetEastSeconds >= 0 ? '+' : '-').appendPadded(abs / 3600, 2);
        int min = (abs / 60) % 60;
        int sec = abs % 60;
        if (sec != 0) {
            out.append(':').appendPadded(min, 2).append(':').appendPadded(sec, 2);
        } else if (min != 0) {
            out.append(':').appendPadded(min, 2);
        }
    }

    /**
     * Writes a timestamp in the ISO output form. With {@code utcOffset} the value is a {@code
     * timestamptz} printed in UTC with the offset {@code +00}.
     */
    public static void formatTimestamp(long pgMicros, boolean utcOffset, ByteSink out) {
        if (pgMicros == TIMESTAMP_POS_INFINITY) {
            out.append("infinity");
            return;
        }
        if (pgMicros == TIMESTAMP_NEG_INFINITY) {
            out.append("-infinity");
            return;
        }
        long days = Math.floorDiv(pgMicros, MICROS_PER_DAY);
        long micros = Math.floorMod(pgMicros, MICROS_PER_DAY);
        boolean bc = writeDate(days + PG_EPOCH_DAYS, out);
        out.append(' ');
        formatTime(micros, out);
        if (utcOffset) {
            out.append("+00");
        }
        if (bc) {
            out.append(" BC");
        }
    }
}
