package io.pgwalstream.changes;

import io.pgwalstream.changes.ColumnValueException.Reason;
import io.pgwalstream.protocol.ColumnKind;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.protocol.TypeMessage;
import io.pgwalstream.types.PgType;
import io.pgwalstream.types.PgTypeRegistry;

import javax.annotation.Nullable;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * A row of a {@link ChangeEvent} read by column name: {@link ChangeEvent#afterRow()} and {@link
 * ChangeEvent#beforeRow()}. A view over the event's {@link TupleData}; values are parsed on each
 * call, from the text or the binary form, whichever the server sent.
 *
 * <p>Each getter returns {@code null} for SQL NULL and throws {@link ColumnValueException} when the
 * row has no such column ({@link Reason#UNKNOWN_COLUMN}, naming the columns it has), when the
 * column is an unchanged TOASTed value ({@link Reason#UNCHANGED_TOAST}), when the column's type
 * cannot be read as the Java type asked for ({@link Reason#TYPE_MISMATCH}, naming both), when the
 * value has no Java value ({@link Reason#NOT_REPRESENTABLE}: numeric {@code NaN} and {@code
 * ±Infinity}, date and timestamp {@code ±infinity}, time {@code 24:00:00}, a multi-dimensional
 * array for {@link #getList}) or when the bytes are not a valid value ({@link Reason#MALFORMED}).
 * The type check comes first, so a NULL value of the wrong type fails too. Domains read like their
 * base type. {@link #getString} reads every type: the text the server sent or, for a binary value,
 * its text form as rendered by {@link io.pgwalstream.types.PgTextForms} (e.g. {@code timestamptz}
 * in UTC, {@code interval} in ISO 8601).
 *
 * <table>
 *   <caption>Getters and the PostgreSQL types they read</caption>
 *   <tr><th>getter</th><th>types</th></tr>
 *   <tr><td>{@link #getString}</td><td>every type (its text form)</td></tr>
 *   <tr><td>{@link #getJson}</td><td>json, jsonb (the JSON text)</td></tr>
 *   <tr><td>{@link #getLong}</td><td>int2, int4, int8, oid, xid, cid</td></tr>
 *   <tr><td>{@link #getInt}</td><td>int2, int4</td></tr>
 *   <tr><td>{@link #getShort}</td><td>int2</td></tr>
 *   <tr><td>{@link #getBoolean}</td><td>bool</td></tr>
 *   <tr><td>{@link #getDouble}</td><td>float4, float8</td></tr>
 *   <tr><td>{@link #getFloat}</td><td>float4</td></tr>
 *   <tr><td>{@link #getDecimal}</td><td>numeric, int2, int4, int8</td></tr>
 *   <tr><td>{@link #getBytes}</td><td>bytea</td></tr>
 *   <tr><td>{@link #getInstant}</td><td>timestamptz</td></tr>
 *   <tr><td>{@link #getLocalDateTime}</td><td>timestamp</td></tr>
 *   <tr><td>{@link #getLocalDate}</td><td>date</td></tr>
 *   <tr><td>{@link #getLocalTime}</td><td>time</td></tr>
 *   <tr><td>{@link #getOffsetTime}</td><td>timetz</td></tr>
 *   <tr><td>{@link #getUuid}</td><td>uuid</td></tr>
 *   <tr><td>{@link #getList}</td><td>one-dimensional arrays whose element type the element
 *       class's getter reads</td></tr>
 * </table>
 *
 * <p>User-defined types are known from the Type messages of the relation only: enums, composites
 * and ranges over user types read with {@link #getString} in text mode; their binary form needs the
 * catalog facts this view does not have.
 *
 * <p>Not thread-safe; cheap to create (types are resolved on first use), so take one per event and
 * keep it in a local variable rather than calling {@code afterRow()} for each column.
 */
public final class ChangeRow {

    private final RelationSchema schema;
    private final TupleData tuple;
    @Nullable private final TupleData fullBefore;
    private final boolean keyOnly;
    private final PgType[] types;
    private ValueReader.Context context;
    private final ColumnErrors errors;
    private TupleLayout layout;
    private TupleLayout fullBeforeLayout;
    private PgTypeRegistry registry;

    private ChangeRow(
            RelationSchema schema,
            TupleData tuple,
            @Nullable TupleData fullBefore,
            boolean keyOnly) {
        this.errors = new ColumnErrors(schema);
        if (tuple.columnCount() != schema.columnCount()) {
            throw new IllegalArgumentException(
                    "A tuple of "
                            + tuple.columnCount()
                            + " columns for "
                            + errors.table()
                            + " with "
                            + schema.columnCount()
                            + " columns");
        }
        this.schema = schema;
        this.tuple = tuple;
        this.fullBefore = fullBefore;
        this.keyOnly = keyOnly;
        this.types = new PgType[schema.columnCount()];
    }

    /** A row holding every column of {@code schema}. */
    public static ChangeRow of(RelationSchema schema, TupleData tuple) {
        return new ChangeRow(schema, tuple, null, false);
    }

    /**
     * The new row of an INSERT, UPDATE or SNAPSHOT event, whose unchanged TOASTed values are taken
     * from {@code fullBefore} when it holds them (REPLICA IDENTITY FULL).
     */
    static ChangeRow after(RelationSchema schema, TupleData after, @Nullable TupleData fullBefore) {
        return new ChangeRow(schema, after, fullBefore, false);
    }

    /** An old row holding only the replica identity columns (the others are not in it). */
    static ChangeRow keyOnly(RelationSchema schema, TupleData before) {
        return new ChangeRow(schema, before, null, true);
    }

    public RelationSchema schema() {
        return schema;
    }

    /** The underlying tuple. */
    public TupleData tuple() {
        return tuple;
    }

    /** Whether this is a before row holding only the replica identity columns. */
    public boolean isKeyOnly() {
        return keyOnly;
    }

    /** The columns this row holds, in table order (for a key-only row, the key columns). */
    public List<String> columnNames() {
        List<String> names = new ArrayList<>(schema.columnCount());
        for (RelationColumn column : schema.columns()) {
            if (!keyOnly || column.isKey()) {
                names.add(column.name());
            }
        }
        return Collections.unmodifiableList(names);
    }

    /** Whether this row holds column {@code name} (case-sensitive, as PostgreSQL stores it). */
    public boolean has(String name) {
        return find(name) >= 0;
    }

    /** The PostgreSQL type of column {@code name} (domains resolved to their base type). */
    public PgType type(String name) {
        return type(index(name));
    }

    /**
     * Whether column {@code name} is SQL NULL; false for an unchanged TOASTed value, which is not
     * NULL.
     */
    public boolean isNull(String name) {
        int index = index(name);
        return source(index).kinds[index] == ColumnKind.NULL;
    }

    /**
     * Whether column {@code name} is an unchanged TOASTed value that the event does not hold: the
     * UPDATE did not change it and PostgreSQL did not send it (under REPLICA IDENTITY FULL, an
     * after row takes it from the before row, and this is false).
     */
    public boolean isUnchangedToast(String name) {
        int index = index(name);
        return source(index).kinds[index] == ColumnKind.UNCHANGED_TOAST;
    }

    /** The text form of any column. */
    public String getString(String name) {
        return (String) get(name, ValueReader.STRING);
    }

    /** A json or jsonb column as its JSON text. */
    public String getJson(String name) {
        return (String) get(name, ValueReader.JSON);
    }

    public Long getLong(String name) {
        return (Long) get(name, ValueReader.LONG);
    }

    public Integer getInt(String name) {
        return (Integer) get(name, ValueReader.INT);
    }

    public Short getShort(String name) {
        return (Short) get(name, ValueReader.SHORT);
    }

    public Boolean getBoolean(String name) {
        return (Boolean) get(name, ValueReader.BOOLEAN);
    }

    /** A float8 or float4 column; NaN, ±Infinity and -0 are kept. */
    public Double getDouble(String name) {
        return (Double) get(name, ValueReader.DOUBLE);
    }

    public Float getFloat(String name) {
        return (Float) get(name, ValueReader.FLOAT);
    }

    /**
     * A numeric column with the scale PostgreSQL printed (its {@code dscale}), or an integer
     * column. NaN and ±Infinity throw ({@link Reason#NOT_REPRESENTABLE}); {@link #getString} reads
     * them.
     */
    public BigDecimal getDecimal(String name) {
        return (BigDecimal) get(name, ValueReader.DECIMAL);
    }

    /** A bytea column as a new array. */
    public byte[] getBytes(String name) {
        return (byte[]) get(name, ValueReader.BYTES);
    }

    /** A timestamptz column (microsecond precision). */
    public Instant getInstant(String name) {
        return (Instant) get(name, ValueReader.INSTANT);
    }

    /** A timestamp (without time zone) column. */
    public LocalDateTime getLocalDateTime(String name) {
        return (LocalDateTime) get(name, ValueReader.LOCAL_DATE_TIME);
    }

    public LocalDate getLocalDate(String name) {
        return (LocalDate) get(name, ValueReader.LOCAL_DATE);
    }

    /** A time (without time zone) column. */
    public LocalTime getLocalTime(String name) {
        return (LocalTime) get(name, ValueReader.LOCAL_TIME);
    }

    /** A timetz column, with the offset it was written with. */
    public OffsetTime getOffsetTime(String name) {
        return (OffsetTime) get(name, ValueReader.OFFSET_TIME);
    }

    public UUID getUuid(String name) {
        return (UUID) get(name, ValueReader.UUID_);
    }

    /**
     * A one-dimensional array column as a list (NULL elements as {@code null}; lower bounds are
     * dropped), its elements read as by the getter of {@code elementClass}: {@code String} (any
     * element type), {@code Long}, {@code Integer}, {@code Short}, {@code Boolean}, {@code Double},
     * {@code Float}, {@code BigDecimal}, {@code byte[]}, {@code Instant}, {@code LocalDateTime},
     * {@code LocalDate}, {@code LocalTime}, {@code OffsetTime} or {@code UUID}. An empty array is
     * an empty list. Each call returns a new {@code ArrayList} the caller may keep and change.
     *
     * @throws IllegalArgumentException if {@code elementClass} is none of these
     */
    public <T> List<T> getList(String name, Class<T> elementClass) {
        ValueReader reader = ValueReader.forElements(elementClass);
        int index = index(name);
        PgType type = type(index);
        if (type.kind() != PgType.Kind.ARRAY || !reader.accepts(type.element())) {
            throw errors.mismatch(
                    columnName(index),
                    type,
                    "getList(\"" + name + "\", " + elementClass.getSimpleName() + ".class)",
                    "List<" + elementClass.getSimpleName() + ">",
                    "arrays of " + reader.accepted());
        }
        TupleLayout from = valueSource(index);
        if (from == null) {
            return null;
        }
        boolean binary = from.binary(index);
        try {
            @SuppressWarnings("unchecked")
            List<T> list =
                    (List<T>)
                            ArrayElements.read(
                                    reader,
                                    context(),
                                    type.element(),
                                    binary,
                                    from.buffer,
                                    from.offsets[index],
                                    from.lengths[index]);
            return list;
        } catch (ValueReader.Unrepresentable e) {
            throw errors.unrepresentable(columnName(index), type, e, reader != ValueReader.STRING);
        } catch (IllegalArgumentException
                | ArithmeticException
                | DateTimeException
                | IndexOutOfBoundsException e) {
            throw errors.malformed(columnName(index), type, binary, e);
        }
    }

    // ------------------------------------------------------------------ internals

    private Object get(String name, ValueReader reader) {
        int index = index(name);
        PgType type = type(index);
        if (!reader.accepts(type)) {
            throw errors.mismatch(
                    columnName(index),
                    type,
                    reader.getter(),
                    reader.javaType().getSimpleName(),
                    reader.accepted());
        }
        TupleLayout from = valueSource(index);
        if (from == null) {
            return null;
        }
        boolean binary = from.binary(index);
        try {
            return reader.read(
                    context(), type, binary, from.buffer, from.offsets[index], from.lengths[index]);
        } catch (ValueReader.Unrepresentable e) {
            throw errors.unrepresentable(
                    columnName(index),
                    type,
                    e,
                    reader != ValueReader.STRING && reader != ValueReader.JSON);
        } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
            throw errors.malformed(columnName(index), type, binary, e);
        }
    }

    /** The tuple holding column {@code index}'s value, or null if it is NULL. */
    @Nullable
    private TupleLayout valueSource(int index) {
        TupleLayout from = source(index);
        switch (from.kinds[index]) {
            case NULL:
                return null;
            case UNCHANGED_TOAST:
                throw errors.unchangedToast(columnName(index));
            default:
                return from;
        }
    }

    /** The tuple to read column {@code index} from: this row, or the full before row. */
    private TupleLayout source(int index) {
        if (layout == null) {
            layout = new TupleLayout(tuple);
        }
        if (fullBefore != null
                && layout.kinds[index] == ColumnKind.UNCHANGED_TOAST
                && index < fullBefore.columnCount()) {
            if (fullBeforeLayout == null) {
                fullBeforeLayout = new TupleLayout(fullBefore);
            }
            if (fullBeforeLayout.kinds[index] != ColumnKind.UNCHANGED_TOAST) {
                return fullBeforeLayout;
            }
        }
        return layout;
    }

    private String columnName(int index) {
        return schema.column(index).name();
    }

    private int find(String name) {
        List<RelationColumn> columns = schema.columns();
        for (int i = 0; i < columns.size(); i++) {
            RelationColumn column = columns.get(i);
            if (column.name().equals(name)) {
                return keyOnly && !column.isKey() ? -1 : i;
            }
        }
        return -1;
    }

    private int index(String name) {
        int index = find(name);
        if (index >= 0) {
            return index;
        }
        boolean inTable = schema.columns().stream().anyMatch(c -> c.name().equals(name));
        throw errors.unknownColumn(
                name, keyOnly, inTable, columnNames(), String.valueOf(schema.replicaIdentity()));
    }

    private PgType type(int index) {
        PgType type = types[index];
        if (type == null) {
            type = registry().resolve(schema.column(index).typeOid());
            types[index] = type;
        }
        return type;
    }

    private PgTypeRegistry registry() {
        if (registry == null) {
            registry = new PgTypeRegistry();
            for (TypeMessage announced : schema.columnTypes()) {
                if (announced != null) {
                    registry.register(announced);
                }
            }
        }
        return registry;
    }

    private ValueReader.Context context() {
        if (context == null) {
            context = new ValueReader.Context(registry());
        }
        return context;
    }

    @Override
    public String toString() {
        return "ChangeRow[" + errors.table() + ", " + columnNames() + ", " + tuple + "]";
    }
}
