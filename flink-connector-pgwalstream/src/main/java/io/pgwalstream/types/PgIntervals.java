package io.pgwalstream.types;

/**
 * {@code interval} values: months, days and microseconds, kept apart as PostgreSQL does (a month is
 * not a fixed number of days, nor a day a fixed number of seconds).
 *
 * <p>Binary ({@code interval_send}): Int64 microseconds, Int32 days, Int32 months. Text: whatever
 * the walsender's {@code IntervalStyle} prints — {@code postgres} (the default, {@code 1 year 2
 * mons -3 days +04:05:06.5}), {@code postgres_verbose} ({@code @ 1 year 2 mons -3 days 4 hours 5
 * mins 6.5 secs}), {@code sql_standard} ({@code +1-2 -3 +4:05:06.5}) and {@code iso_8601} are all
 * understood. The output is always what PostgreSQL prints with {@code IntervalStyle = iso_8601}
 * ({@code P1Y2M-3DT4H5M6.5S}, {@code PT0S}, {@code infinity}).
 */
public final class PgIntervals {

    public static final long MICROS_PER_HOUR = 3_600_000_000L;
    public static final long MICROS_PER_MINUTE = 60_000_000L;

    private PgIntervals() {}

    /** A parsed interval; reused by one converter. */
    public static final class Value {
        int months;
        int days;
        long micros;

        boolean isInfinite() {
            return (months == Integer.MAX_VALUE
                            && days == Integer.MAX_VALUE
                            && micros == Long.MAX_VALUE)
                    || (months == Integer.MIN_VALUE
                            && days == Integer.MIN_VALUE
                            && micros == Long.MIN_VALUE);
        }
    }

    public static void readBinary(byte[] b, int off, int len, Value into) {
        BinaryReads.expectLength(len, 16, "interval");
        into.micros = BinaryReads.int64(b, off);
        into.days = BinaryReads.int32(b, off + 8);
        into.months = BinaryReads.int32(b, off + 12);
    }

    /** Writes the {@code iso_8601} IntervalStyle form. */
    public static void formatIso(Value v, ByteSink out) {
        if (v.isInfinite()) {
            out.append(v.months > 0 ? "infinity" : "-infinity");
            return;
        }
        int year = v.months / 12;
        int mon = v.months % 12;
        long hour = v.micros / MICROS_PER_HOUR;
        long min = (v.micros / MICROS_PER_MINUTE) % 60;
        long sec = (v.micros / PgDateTimes.MICROS_PER_SECOND) % 60;
        long fsec = v.micros % PgDateTimes.MICROS_PER_SECOND;
        if (year == 0 && mon == 0 && v.days == 0 && v.micros == 0) {
            out.append("PT0S");
            return;
        }
        out.append('P');
        isoPart(year, 'Y', out);
        isoPart(mon, 'M', out);
        isoPart(v.days, 'D', out);
        if (v.micros != 0) {
            out.append('T');
        }
        isoPart(hour, 'H', out);
        isoPart(min, 'M', out);
        if (sec != 0 || fsec != 0) {
            if (sec < 0 || fsec < 0) {
                out.append('-');
            }
            out.appendLong(Math.abs(sec)).appendMicrosFraction((int) Math.abs(fsec)).append('S');
        }
    }

    private static void isoPart(long value, char unit, ByteSink out) {
        if (value != 0) {
            out.appendLong(value).append(unit);
        }
    }

    /**
     * Parses the text form of any IntervalStyle.
     *
     * @throws IllegalArgumentException if it is none of them
     */
    public static void parseText(byte[] b, int off, int len, Value into) {
        into.months = 0;
        into.days = 0;
        into.micros = 0;
        int special = PgDateTimes.infinity(b, off, len);
        if (special != 0) {
            into.months = special > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
            into.days = into.months;
            into.micros = special > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
            return;
        }
        if (len == 0) {
            throw new IllegalArgumentException("empty interval");
        }
        Parser p = new Parser(b, off, off + len, into);
        if (b[off] == 'P') {
            p.iso();
        } else if (b[off] == '@') {
            p.verbose();
        } else if (looksSqlStandard(b, off, len)) {
            p.sqlStandard();
        } else {
            p.postgres();
        }
    }

    /** SQL-standard output has no unit words: only digits, signs, '-', ':', '.', spaces. */
    private static boolean looksSqlStandard(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] >= 'a' && b[i] <= 'z') {
                return false;
            }
        }
        // "00:00:00" and "-00:00:01" are postgres style too; both parsers read them alike.
        return true;
    }

    private static final class Parser {
        private final byte[] b;
        private final int end;
        private final Value v;
        private int p;
        private long months;
        private long days;
        private long micros;

        Parser(byte[] b, int off, int end, Value v) {
            this.b = b;
            this.p = off;
            this.end = end;
            this.v = v;
        }

        private IllegalArgumentException malformed() {
            return new IllegalArgumentException(
                    "unrecognised interval text (expected an IntervalStyle of postgres,"
                            + " postgres_verbose, sql_standard or iso_8601)");
        }

        private void finish() {
            if (p != end) {
                throw malformed();
            }
            if (months < Integer.MIN_VALUE
                    || months > Integer.MAX_VALUE
                    || days < Integer.MIN_VALUE
                    || days > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("interval out of range");
            }
            v.months = (int) months;
            v.days = (int) days;
            v.micros = micros;
        }

        /** Optional sign: -1, +1, or 0 when absent. */
        private int sign() {
            if (p < end && (b[p] == '-' || b[p] == '+')) {
                return b[p++] == '-' ? -1 : 1;
            }
            return 0;
        }

        private long number() {
            int start = p;
            long n = 0;
            while (p < end && Ascii.isDigit(b[p])) {
                n = Math.addExact(Math.multiplyExact(n, 10), b[p] - '0');
                p++;
            }
            if (p == start) {
                throw malformed();
            }
            return n;
        }

        /** Digits after a '.', as microseconds (at most 6 digits are significant). */
        private long fraction() {
            long f = 0;
            long scale = 100_000;
            int start = p;
            while (p < end && Ascii.isDigit(b[p])) {
                f += (b[p] - '0') * scale;
                scale /= 10;
                p++;
            }
            if (p == start || p - start > 6) {
                throw malformed();
            }
            return f;
        }

        private boolean word(String w) {
            if (end - p >= w.length() && Ascii.regionEquals(b, p, w)) {
                int after = p + w.length();
                if (after == end || b[after] == ' ') {
                    p = after;
                    return true;
                }
            }
            return false;
        }

        private void space() {
            if (p >= end || b[p] != ' ') {
                throw malformed();
            }
            p++;
        }

        /** {@code [-]H:MM:SS[.ffffff]} with the sign given; returns microseconds. */
        private long clock() {
            long h = number();
            expect(':');
            long m = number();
            expect(':');
            long s = number();
            long f = 0;
            if (p < end && b[p] == '.') {
                p++;
                f = fraction();
            }
            return Math.addExact(
                    Math.multiplyExact(h, MICROS_PER_HOUR),
                    m * MICROS_PER_MINUTE + s * PgDateTimes.MICROS_PER_SECOND + f);
        }

        private void expect(char c) {
            if (p >= end || b[p] != c) {
                throw malformed();
            }
            p++;
        }

        /** {@code 1 year 2 mons -3 days +04:05:06.5}, {@code 00:00:00}. */
        void postgres() {
            while (p < end) {
                int start = p;
                int sign = sign();
                int digitsStart = p;
                number();
                boolean isClock = p < end && b[p] == ':';
                p = digitsStart;
                if (isClock) {
                    micros = Math.addExact(micros, (sign < 0 ? -1 : 1) * clock());
                } else {
                    p = start;
                    long n = (sign() < 0 ? -1 : 1) * number();
                    space();
                    if (word("years") || word("year")) {
                        months += n * 12;
                    } else if (word("mons") || word("mon")) {
                        months += n;
                    } else if (word("days") || word("day")) {
                        days += n;
                    } else {
                        throw malformed();
                    }
                }
                if (p < end) {
                    space();
                }
            }
            finish();
        }

        /** {@code @ 1 year 2 mons -3 days 4 hours 5 mins 6.5 secs ago}. */
        void verbose() {
            expect('@');
            while (p < end) {
                space();
                if (word("ago")) {
                    months = -months;
                    days = -days;
                    micros = -micros;
                    continue;
                }
                long sign = sign() < 0 ? -1 : 1;
                long n = number();
                long f = 0;
                if (p < end && b[p] == '.') {
                    p++;
                    f = fraction();
                }
                if (p == end && n == 0 && f == 0) {
                    break; // "@ 0"
                }
                space();
                if (word("years") || word("year")) {
                    months += sign * n * 12;
                } else if (word("mons") || word("mon")) {
                    months += sign * n;
                } else if (word("days") || word("day")) {
                    days += sign * n;
                } else if (word("hours") || word("hour")) {
                    micros += sign * n * MICROS_PER_HOUR;
                } else if (word("mins") || word("min")) {
                    micros += sign * n * MICROS_PER_MINUTE;
                } else if (word("secs") || word("sec")) {
                    micros += sign * (n * PgDateTimes.MICROS_PER_SECOND + f);
                } else {
                    throw malformed();
                }
            }
            finish();
        }

        /**
         * {@code 1-2}, {@code 3 4:05:06}, {@code -4:05:06}, {@code +1-2 -3 +4:05:06}, {@code 0}.
         */
        void sqlStandard() {
            int globalSign = 0;
            boolean first = true;
            while (p < end) {
                int sign = sign();
                if (first) {
                    globalSign = sign;
                    first = false;
                } else if (sign == 0) {
                    sign = globalSign;
                }
                long s = sign < 0 ? -1 : 1;
                int digitsStart = p;
                long n = number();
                if (p < end && b[p] == '-') {
                    p++;
                    long mon = number();
                    months += s * (n * 12 + mon);
                } else if (p < end && b[p] == ':') {
                    p = digitsStart; // re-read as a clock
                    micros += s * clock();
                } else if (n == 0 && p == end && months == 0 && days == 0) {
                    // "0"
                } else {
                    days += s * n;
                }
                if (p < end) {
                    space();
                }
            }
            finish();
        }

        /** {@code P1Y2M-3DT4H5M-6.5S}, {@code PT0S}. */
        void iso() {
            expect('P');
            boolean time = false;
            while (p < end) {
                if (!time && b[p] == 'T') {
                    time = true;
                    p++;
                    continue;
                }
                long sign = sign() < 0 ? -1 : 1;
                long n = number();
                long f = 0;
                if (p < end && b[p] == '.') {
                    p++;
                    f = fraction();
                }
                if (p >= end) {
                    throw malformed();
                }
                byte unit = b[p++];
                if (f != 0 && !(time && unit == 'S')) {
                    throw malformed();
                }
                if (!time && unit == 'Y') {
                    months += sign * n * 12;
                } else if (!time && unit == 'M') {
                    months += sign * n;
                } else if (!time && unit == 'W') {
                    days += sign * n * 7;
                } else if (!time && unit == 'D') {
                    days += sign * n;
                } else if (time && unit == 'H') {
                    micros += sign * n * MICROS_PER_HOUR;
                } else if (time && unit == 'M') {
                    micros += sign * n * MICROS_PER_MINUTE;
                } else if (time && unit == 'S') {
                    micros += sign * (n * PgDateTimes.MICROS_PER_SECOND + f);
                } else {
                    throw malformed();
                }
            }
            finish();
        }
    }
}
