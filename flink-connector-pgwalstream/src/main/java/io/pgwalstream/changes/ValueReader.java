package io.pgwalstream.changes;

import io.pgwalstream.types.Ascii;
import io.pgwalstream.types.BinaryReads;
import io.pgwalstream.types.ByteSink;
import io.pgwalstream.types.PgBuiltinType;
import io.pgwalstream.types.PgBytea;
import io.pgwalstream.types.PgDateTimes;
import io.pgwalstream.types.PgFloats;
import io.pgwalstream.types.PgNumerics;
import io.pgwalstream.types.PgTextForms;
import io.pgwalstream.types.PgType;
import io.pgwalstream.types.PgTypeRegistry;
import io.pgwalstream.types.ScalarTextForms;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * How {@link ChangeRow} reads one Java type from the text ({@code 't'}) or binary ({@code 'b'})
 * form of a PostgreSQL value: which types it accepts and the conversion, built on the value forms
 * of {@code io.pgwalstream.types}. Shared by the scalar getters and by array elements.
 *
 * <p>A reader throws {@link IllegalArgumentException} (or {@link ArithmeticException}, {@link
 * java.time.DateTimeException}) for malformed bytes and {@link Unrepresentable} for a valid value
 * that has no value in the Java type; {@link ChangeRow} turns both into {@link
 * ColumnValueException}s.
 */
enum ValueReader {
    STRING(String.class, "getString", null) {
        @Override
        boolean accepts(PgType type) {
            return true;
        }

        @Override
        Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len) {
            return binary
                    ? ctx.textOfBinary(type, b, off, len)
                    : new String(b, off, len, StandardCharsets.UTF_8);
        }
    },
    JSON(String.class, "getJson", List.of(PgBuiltinType.JSON, PgBuiltinType.JSONB)) {
        @Override
        Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len) {
            return STRING.read(ctx, type, binary, b, off, len);
        }
    },
    LONG(Long.class, "getLong", Integers.ALL) {
        @Override
        Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len) {
            return integer(type, binary, b, off, len);
        }
    },
    INT(Integer.class, "getInt", List.of(PgBuiltinType.INT2, PgBuiltinType.INT4)) {
        @Override
        Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len) {
            return (int) integer(type, binary, b, off, len);
        }
    },
    SHORT(Short.class, "getShort", List.of(PgBuiltinType.INT2)) {
        @Override
        Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len) {
            return (short) integer(type, binary, b, off, len);
        }
    },
    BOOLEAN(Boolean.class, "getBoolean", List.of(PgBuiltinType.BOOL)) {
        @Override
        Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len) {
            if (binary) {
                BinaryReads.expectLength(len, 1, "bool");
                return b[off] != 0;
            }
            if (len == 1 && (b[off] == 't' || b[off] == 'f')) {
                return b[off] == 't';
            }
            throw new IllegalArgumentException("expected t or f");
        }
    },
    DOUBLE(Double.class, "getDouble", List.of(PgBuiltinType.FLOAT4, PgBuiltinType.FLOAT8)) {
        @Override
        Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len) {
            if (type.is(PgBuiltinType.FLOAT4)) {
                return (double) (Float) FLOAT.read(ctx, type, binary, b, off, len);
            }
            if (binary) {
                BinaryReads.expectLength(len, 8, "float8");
                return ScalarTextForms.float8(b, off);
            }
            return PgFloats.parseDouble(b, off, len);
        }
    },
    FLOAT(Float.class, "getFloat", List.of(PgBuiltinType.FLOAT4)) {
        @Override
        Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len) {
            if (binary) {
                BinaryReads.expectLength(len, 4, "float4");
                return Float.intBitsToFloat(BinaryReads.int32(b, off));
            }
            return PgFloats.parseFloat(b, off, len);
        }
    },
    DECIMAL(BigDecimal.class, "getDecimal", Integers.WITH_NUMERIC) {
        @Override
        Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len) {
            if (!type.is(PgBuiltinType.NUMERIC)) {
                return BigDecimal.valueOf(integer(type, binary, b, off, len));
            }
            byte[] text = b;
            int textOff = off;
            int textLen = len;
            if (binary) {
                ByteSink sink = ctx.sink.reset();
                PgNumerics.formatBinary(b, off, len, sink);
                text = sink.array();
                textOff = 0;
                textLen = sink.length();
            }
            String s = new String(text, textOff, textLen, StandardCharsets.US_ASCII);
            if (PgNumerics.isSpecialText(text, textOff, textLen)) {
                throw new Unrepresentable("numeric " + s + " has no BigDecimal value");
            }
            return new BigDecimal(s);
        }
    },
    BYTES(byte[].class, "getBytes", List.of(PgBuiltinType.BYTEA)) {
        @Override
        Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len) {
            return binary ? Arrays.copyOfRange(b, off, off + len) : PgBytea.parseText(b, off, len);
        }
    },
    INSTANT(Instant.class, "getInstant", List.of(PgBuiltinType.TIMESTAMPTZ)) {
        @Override
        Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len) {
            long micros = timestamp(ctx, true, binary, b, off, len);
            return Instant.ofEpochSecond(epochSecond(micros), nanoOfSecond(micros));
        }
    },
    LOCAL_DATE_TIME(LocalDateTime.class, "getLocalDateTime", List.of(PgBuiltinType.TIMESTAMP)) {
        @Override
        Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len) {
            long micros = timestamp(ctx, false, binary, b, off, len);
            return LocalDateTime.ofEpochSecond(
                    epochSecond(micros), nanoOfSecond(micros), ZoneOffset.UTC);
        }
    },
    LOCAL_DATE(LocalDate.class, "getLocalDate", List.of(PgBuiltinType.DATE)) {
        @Override
        Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len) {
            int pgDays;
            if (binary) {
                BinaryReads.expectLength(len, 4, "date");
                pgDays = BinaryReads.int32(b, off);
            } else {
                pgDays = PgDateTimes.parseDate(ctx.parser, b, off, len);
            }
            if (pgDays == PgDateTimes.DATE_POS_INFINITY
                    || pgDays == PgDateTimes.DATE_NEG_INFINITY) {
                throw new Unrepresentable("date " + infinity(pgDays > 0) + " has no LocalDate");
            }
            return LocalDate.ofEpochDay((long) pgDays + PgDateTimes.PG_EPOCH_DAYS);
        }
    },
    LOCAL_TIME(LocalTime.class, "getLocalTime", List.of(PgBuiltinType.TIME)) {
        @Override
        Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len) {
            long micros;
            if (binary) {
                BinaryReads.expectLength(len, 8, "time");
                micros = BinaryReads.int64(b, off);
            } else {
                micros = PgDateTimes.parseTime(ctx.parser, b, off, len);
            }
            return timeOfDay(micros);
        }
    },
    OFFSET_TIME(OffsetTime.class, "getOffsetTime", List.of(PgBuiltinType.TIMETZ)) {
        @Override
        Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len) {
            long micros;
            int offsetEast;
            if (binary) {
                BinaryReads.expectLength(len, 12, "timetz");
                micros = BinaryReads.int64(b, off);
                offsetEast = -BinaryReads.int32(b, off + 8); // the wire has seconds west of UTC
            } else {
                micros = PgDateTimes.parseTimeTz(ctx.parser, b, off, len);
                offsetEast = ctx.parser.zoneOffsetSeconds();
            }
            return OffsetTime.of(timeOfDay(micros), ZoneOffset.ofTotalSeconds(offsetEast));
        }
    },
    UUID_(UUID.class, "getUuid", List.of(PgBuiltinType.UUID)) {
        @Override
        Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len) {
            if (binary) {
                BinaryReads.expectLength(len, 16, "uuid");
                return new UUID(BinaryReads.int64(b, off), BinaryReads.int64(b, off + 8));
            }
            if (len != 36) {
                throw new IllegalArgumentException("a uuid's text form has 36 characters");
            }
            return UUID.fromString(new String(b, off, len, StandardCharsets.US_ASCII));
        }
    };

    /** A valid value without a value in the Java type; its text form is still readable. */
    static final class Unrepresentable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unrepresentable(String message) {
            super(message, null, false, false);
        }
    }

    /** Per-row state of the readers: the text renderer of binary values and parse buffers. */
    static final class Context {
        private final PgTypeRegistry registry;
        private PgTextForms textForms;
        final ByteSink sink = new ByteSink(32);
        final PgDateTimes.Parser parser = new PgDateTimes.Parser();

        Context(PgTypeRegistry registry) {
            this.registry = registry;
        }

        String textOfBinary(PgType type, byte[] b, int off, int len) {
            if (textForms == null) {
                textForms = new PgTextForms(registry);
            }
            PgTextForms.Formatter formatter = textForms.formatter(type);
            if (formatter == null) {
                throw new Unrepresentable(
                        "its binary form cannot be rendered as text (stream with binary=false, or"
                                + " register the type's catalog facts for user-defined types)");
            }
            ByteSink out = new ByteSink();
            formatter.format(b, off, len, out);
            return new String(out.array(), 0, out.length(), StandardCharsets.UTF_8);
        }
    }

    private static final class Integers {
        static final List<PgBuiltinType> ALL =
                List.of(
                        PgBuiltinType.INT2,
                        PgBuiltinType.INT4,
                        PgBuiltinType.INT8,
                        PgBuiltinType.OID,
                        PgBuiltinType.XID,
                        PgBuiltinType.CID);
        static final List<PgBuiltinType> WITH_NUMERIC =
                List.of(
                        PgBuiltinType.NUMERIC,
                        PgBuiltinType.INT2,
                        PgBuiltinType.INT4,
                        PgBuiltinType.INT8);
    }

    private final Class<?> javaType;
    private final String getter;
    private final List<PgBuiltinType> types;

    /**
     * @param types the built-in types (and domains over them) the reader accepts; null: see {@link
     *     #accepts}
     */
    ValueReader(Class<?> javaType, String getter, List<PgBuiltinType> types) {
        this.javaType = javaType;
        this.getter = getter;
        this.types = types;
    }

    Class<?> javaType() {
        return javaType;
    }

    String getter() {
        return getter;
    }

    /** The types accepted, for error messages. */
    String accepted() {
        if (types == null) {
            return "every type";
        }
        StringBuilder sb = new StringBuilder();
        for (PgBuiltinType t : types) {
            sb.append(sb.length() == 0 ? "" : ", ").append(t.typeName());
        }
        return sb.toString();
    }

    boolean accepts(PgType type) {
        return type.kind() == PgType.Kind.BUILTIN && types.contains(type.builtin());
    }

    abstract Object read(Context ctx, PgType type, boolean binary, byte[] b, int off, int len);

    /** The reader of list elements of {@code elementClass}. */
    static ValueReader forElements(Class<?> elementClass) {
        for (ValueReader reader : values()) {
            if (reader.javaType == elementClass) {
                return reader; // STRING comes before JSON: String elements of any type
            }
        }
        StringBuilder supported = new StringBuilder();
        for (ValueReader reader : values()) {
            if (reader != JSON) {
                supported.append(supported.length() == 0 ? "" : ", ");
                supported.append(reader.javaType.getSimpleName());
            }
        }
        throw new IllegalArgumentException(
                "Cannot read list elements as "
                        + elementClass.getName()
                        + "; supported element classes: "
                        + supported);
    }

    private static long integer(PgType type, boolean binary, byte[] b, int off, int len) {
        if (!binary) {
            return Ascii.parseLong(b, off, len);
        }
        switch (type.builtin()) {
            case INT2:
                BinaryReads.expectLength(len, 2, "int2");
                return BinaryReads.int16(b, off);
            case INT4:
                BinaryReads.expectLength(len, 4, "int4");
                return BinaryReads.int32(b, off);
            case INT8:
                BinaryReads.expectLength(len, 8, "int8");
                return BinaryReads.int64(b, off);
            default: // oid, xid, cid: unsigned 32-bit
                BinaryReads.expectLength(len, 4, type.name());
                return BinaryReads.uint32(b, off);
        }
    }

    /** Microseconds since 2000-01-01 (UTC for timestamptz); infinity is not representable. */
    private static long timestamp(
            Context ctx, boolean withZone, boolean binary, byte[] b, int off, int len) {
        long micros;
        if (binary) {
            BinaryReads.expectLength(len, 8, withZone ? "timestamptz" : "timestamp");
            micros = BinaryReads.int64(b, off);
        } else {
            micros = PgDateTimes.parseTimestamp(ctx.parser, b, off, len, withZone);
        }
        if (micros == PgDateTimes.TIMESTAMP_POS_INFINITY
                || micros == PgDateTimes.TIMESTAMP_NEG_INFINITY) {
            throw new Unrepresentable(
                    (withZone ? "timestamptz " : "timestamp ")
                            + infinity(micros > 0)
                            + " has no "
                            + (withZone ? "Instant" : "LocalDateTime"));
        }
        return micros;
    }

    private static String infinity(boolean positive) {
        return positive ? "infinity" : "-infinity";
    }

    /** Seconds since 1970 of microseconds since 2000, without overflowing near the ends. */
    private static long epochSecond(long pgMicros) {
        return Math.floorDiv(pgMicros, PgDateTimes.MICROS_PER_SECOND)
                + PgDateTimes.PG_EPOCH_MICROS / PgDateTimes.MICROS_PER_SECOND;
    }

    private static int nanoOfSecond(long pgMicros) {
        return (int) Math.floorMod(pgMicros, PgDateTimes.MICROS_PER_SECOND) * 1000;
    }

    private static LocalTime timeOfDay(long micros) {
        if (micros == PgDateTimes.MICROS_PER_DAY) {
            throw new Unrepresentable("time 24:00:00 has no LocalTime");
        }
        if (micros < 0 || micros > PgDateTimes.MICROS_PER_DAY) {
            throw new IllegalArgumentException("time of day out of range");
        }
        return LocalTime.ofNanoOfDay(micros * 1000);
    }
}
