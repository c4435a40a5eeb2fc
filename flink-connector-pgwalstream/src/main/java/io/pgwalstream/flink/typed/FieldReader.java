package io.pgwalstream.flink.typed;

import io.pgwalstream.changes.ChangeRow;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Reads one column of a {@link ChangeRow} as the Java type of a field, through the row's typed
 * getter for that type (the same conversions {@code ChangeRow} documents).
 */
final class FieldReader {

    private static final Map<Class<?>, BiFunction<ChangeRow, String, Object>> GETTERS =
            Map.ofEntries(
                    Map.entry(String.class, ChangeRow::getString),
                    Map.entry(Long.class, ChangeRow::getLong),
                    Map.entry(long.class, ChangeRow::getLong),
                    Map.entry(Integer.class, ChangeRow::getInt),
                    Map.entry(int.class, ChangeRow::getInt),
                    Map.entry(Short.class, ChangeRow::getShort),
                    Map.entry(short.class, ChangeRow::getShort),
                    Map.entry(Boolean.class, ChangeRow::getBoolean),
                    Map.entry(boolean.class, ChangeRow::getBoolean),
                    Map.entry(Double.class, ChangeRow::getDouble),
                    Map.entry(double.class, ChangeRow::getDouble),
                    Map.entry(Float.class, ChangeRow::getFloat),
                    Map.entry(float.class, ChangeRow::getFloat),
                    Map.entry(BigDecimal.class, ChangeRow::getDecimal),
                    Map.entry(byte[].class, ChangeRow::getBytes),
                    Map.entry(Instant.class, ChangeRow::getInstant),
                    Map.entry(LocalDateTime.class, ChangeRow::getLocalDateTime),
                    Map.entry(LocalDate.class, ChangeRow::getLocalDate),
                    Map.entry(LocalTime.class, ChangeRow::getLocalTime),
                    Map.entry(OffsetTime.class, ChangeRow::getOffsetTime),
                    Map.entry(UUID.class, ChangeRow::getUuid));

    private final Class<?> type;
    private final Class<?> listElement;
    private final BiFunction<ChangeRow, String, Object> getter;

    private FieldReader(Class<?> type, Class<?> listElement) {
        this.type = type;
        this.listElement = listElement;
        this.getter = listElement == null ? GETTERS.get(type) : null;
    }

    /** A reader for a field of {@code generic} type, or null if no getter reads that type. */
    static FieldReader forType(Type generic) {
        if (generic instanceof Class<?> c) {
            return GETTERS.containsKey(c) ? new FieldReader(c, null) : null;
        }
        if (generic instanceof ParameterizedType p
                && p.getRawType() == List.class
                && p.getActualTypeArguments()[0] instanceof Class<?> element
                && !element.isPrimitive()
                && GETTERS.containsKey(element)) {
            return new FieldReader(List.class, element);
        }
        return null;
    }

    static String supported() {
        return "String, Long/long, Integer/int, Short/short, Boolean/boolean, Double/double,"
                + " Float/float, BigDecimal, byte[], Instant, LocalDateTime, LocalDate, LocalTime,"
                + " OffsetTime, UUID and List of the boxed ones";
    }

    boolean primitive() {
        return type.isPrimitive();
    }

    /** The value for a field that no column fills: null, or the primitive's zero. */
    Object absent() {
        if (!type.isPrimitive()) {
            return null;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0.0;
        }
        if (type == float.class) {
            return 0.0f;
        }
        if (type == short.class) {
            return (short) 0;
        }
        return 0;
    }

    Object read(ChangeRow row, String column) {
        return listElement == null ? getter.apply(row, column) : row.getList(column, listElement);
    }
}
