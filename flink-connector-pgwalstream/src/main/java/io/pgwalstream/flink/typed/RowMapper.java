package io.pgwalstream.flink.typed;

import io.pgwalstream.changes.ChangeRow;
import io.pgwalstream.changes.ColumnValueException;
import io.pgwalstream.changes.RelationSchema;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Maps rows to a Java record (through its canonical constructor) or a POJO (a public no-argument
 * constructor, public fields or public setters) by column name. The type is checked when the mapper
 * is built (every field must have a getter), each table shape when it is first seen (columns a
 * field names must exist, unless {@link MissingColumns#NULL}), each value when it is read (the
 * column's PostgreSQL type must suit the field's Java type; see {@code ChangeRow}'s getters).
 */
@PublicEvolving
public final class RowMapper<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A field whose column the table does not have. */
    public enum MissingColumns {
        /** Fail when the table's shape is first seen (default). */
        FAIL,
        /** Leave the field null (or zero for primitives). */
        NULL
    }

    /** A column no field reads. */
    public enum ExtraColumns {
        /** Ignore it (default). */
        IGNORE,
        /** Fail when the table's shape is first seen. */
        FAIL
    }

    /** An unchanged TOASTed value (an UPDATE left a large value out of the WAL). */
    public enum UnchangedValues {
        /** Fail, naming REPLICA IDENTITY FULL as the fix (default). */
        FAIL,
        /** Leave the field null: the value did not change, the row does not say what it is. */
        NULL
    }

    private final Class<T> type;
    private final ColumnNaming naming;
    private final Map<String, String> columnOverrides;
    private final MissingColumns missingColumns;
    private final ExtraColumns extraColumns;
    private final UnchangedValues unchangedValues;

    private transient Target<T> target;
    private transient RelationSchema checkedSchema;

    private RowMapper(Builder<T> b) {
        this.type = b.type;
        this.naming = b.naming;
        this.columnOverrides = Map.copyOf(b.columnOverrides);
        this.missingColumns = b.missingColumns;
        this.extraColumns = b.extraColumns;
        this.unchangedValues = b.unchangedValues;
        Target<T> checked = target(); // a type that cannot work fails here, on the client
        for (String field : columnOverrides.keySet()) {
            if (!checked.fieldNames.contains(field)) {
                throw new TypedMappingException(
                        type.getName() + " has no field " + field + " to map a column to");
            }
        }
    }

    public static <T> Builder<T> builder(Class<T> type) {
        return new Builder<>(type);
    }

    /** A mapper with the defaults: exact names, missing columns fail, extra columns ignored. */
    public static <T> RowMapper<T> of(Class<T> type) {
        return builder(type).build();
    }

    public Class<T> type() {
        return type;
    }

    /**
     * The row as {@code T}.
     *
     * @param keyOnly the row is a key-only old row: fields of other columns stay null (zero)
     * @throws TypedMappingException if a value cannot be read into its field
     */
    public T map(ChangeRow row, boolean keyOnly) {
        Target<T> t = target();
        if (row.schema() != checkedSchema) {
            checkShape(t, row.schema());
            checkedSchema = row.schema();
        }
        Object[] values = new Object[t.columns.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = value(t, i, row, keyOnly);
        }
        return t.create(values);
    }

    private Object value(Target<T> t, int i, ChangeRow row, boolean keyOnly) {
        String column = t.columns[i];
        FieldReader reader = t.readers[i];
        if (!row.has(column)) {
            return reader.absent(); // key-only old rows, or MissingColumns.NULL
        }
        if (row.isUnchangedToast(column)) {
            if (unchangedValues == UnchangedValues.NULL && !reader.primitive()) {
                return null;
            }
            throw new TypedMappingException(
                    where(t, i, row)
                            + " is an unchanged TOASTed value: the UPDATE left it out of the WAL."
                            + " Run ALTER TABLE "
                            + row.schema().schemaName()
                            + "."
                            + row.schema().tableName()
                            + " REPLICA IDENTITY FULL so the old row carries it, or build the"
                            + " mapper with unchangedValues(UnchangedValues.NULL).");
        }
        Object value;
        try {
            value = reader.read(row, column);
        } catch (ColumnValueException e) {
            throw new TypedMappingException(where(t, i, row) + ": " + e.getMessage(), e);
        }
        if (value == null && reader.primitive()) {
            throw new TypedMappingException(
                    where(t, i, row)
                            + " is NULL, which the primitive field cannot hold: declare it as"
                            + " the boxed type.");
        }
        return value;
    }

    private String where(Target<T> t, int i, ChangeRow row) {
        return "Field "
                + type.getSimpleName()
                + "."
                + t.fieldNames.get(i)
                + " from column \""
                + t.columns[i]
                + "\" of "
                + row.schema().schemaName()
                + "."
                + row.schema().tableName();
    }

    private void checkShape(Target<T> t, RelationSchema schema) {
        Set<String> columns = new LinkedHashSet<>();
        for (int i = 0; i < schema.columnCount(); i++) {
            columns.add(schema.columns().get(i).name());
        }
        String table = schema.schemaName() + "." + schema.tableName();
        if (missingColumns == MissingColumns.FAIL) {
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < t.columns.length; i++) {
                if (!columns.contains(t.columns[i])) {
                    missing.add(t.fieldNames.get(i) + " (column \"" + t.columns[i] + "\")");
                }
            }
            if (!missing.isEmpty()) {
                throw new TypedMappingException(
                        type.getSimpleName()
                                + " has fields "
                                + missing
                                + " that "
                                + table
                                + " has no columns for; its columns are "
                                + columns
                                + ". Rename the fields, map them with column(field, name), or"
                                + " build the mapper with missingColumns(MissingColumns.NULL).");
            }
        }
        if (extraColumns == ExtraColumns.FAIL) {
            columns.removeAll(List.of(t.columns));
            if (!columns.isEmpty()) {
                throw new TypedMappingException(
                        table
                                + " has columns "
                                + columns
                                + " that no field of "
                                + type.getSimpleName()
                                + " reads (extraColumns(FAIL)).");
            }
        }
    }

    private Target<T> target() {
        if (target == null) {
            target = type.isRecord() ? recordTarget() : pojoTarget();
        }
        return target;
    }

    private Target<T> recordTarget() {
        RecordComponent[] components = type.getRecordComponents();
        List<String> names = new ArrayList<>();
        List<Type> types = new ArrayList<>();
        Class<?>[] raw = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            names.add(components[i].getName());
            types.add(components[i].getGenericType());
            raw[i] = components[i].getType();
        }
        FieldReader[] readers = readers(names, types);
        try {
            Constructor<T> constructor = type.getDeclaredConstructor(raw);
            constructor.setAccessible(true);
            return new Target<>(
                    names, columns(names), readers, values -> construct(constructor, values));
        } catch (NoSuchMethodException | SecurityException e) {
            throw new TypedMappingException(
                    "Record " + type.getName() + " has no accessible canonical constructor", e);
        }
    }

    private Target<T> pojoTarget() {
        Constructor<T> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new TypedMappingException(
                    type.getName()
                            + " is neither a record nor a POJO with a public no-argument"
                            + " constructor",
                    e);
        }
        List<String> names = new ArrayList<>();
        List<Type> types = new ArrayList<>();
        List<Setter> setters = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                int m = field.getModifiers();
                if (Modifier.isStatic(m) || Modifier.isTransient(m) || field.isSynthetic()) {
                    continue;
                }
                names.add(field.getName());
                types.add(field.getGenericType());
                setters.add(setter(field));
            }
        }
        return new Target<>(
                names,
                columns(names),
                readers(names, types),
                values -> {
                    T object = construct(constructor, new Object[0]);
                    for (int i = 0; i < values.length; i++) {
                        try {
                            setters.get(i).set(object, values[i]);
                        } catch (InvocationTargetException e) {
                            throw new TypedMappingException(
                                    "A setter of " + type.getName() + " failed: " + e.getCause(),
                                    e.getCause());
                        } catch (ReflectiveOperationException e) {
                            throw new TypedMappingException(
                                    "Cannot set a field of " + type.getName(), e);
                        }
                    }
                    return object;
                });
    }

    private Setter setter(Field field) {
        if (Modifier.isPublic(field.getModifiers()) && !Modifier.isFinal(field.getModifiers())) {
            return field::set;
        }
        String name =
                "set"
                        + Character.toUpperCase(field.getName().charAt(0))
                        + field.getName().substring(1);
        try {
            Method method = type.getMethod(name, field.getType());
            return method::invoke;
        } catch (NoSuchMethodException e) {
            throw new TypedMappingException(
                    "Field "
                            + type.getSimpleName()
                            + "."
                            + field.getName()
                            + " is neither public nor has a public "
                            + name
                            + "("
                            + field.getType().getSimpleName()
                            + ") setter",
                    e);
        }
    }

    private String[] columns(List<String> names) {
        String[] columns = new String[names.size()];
        for (int i = 0; i < columns.length; i++) {
            String override = columnOverrides.get(names.get(i));
            columns[i] = override != null ? override : naming.column(names.get(i));
        }
        return columns;
    }

    private FieldReader[] readers(List<String> names, List<Type> types) {
        FieldReader[] readers = new FieldReader[names.size()];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = FieldReader.forType(types.get(i));
            if (readers[i] == null) {
                throw new TypedMappingException(
                        "Field "
                                + type.getSimpleName()
                                + "."
                                + names.get(i)
                                + " has type "
                                + types.get(i).getTypeName()
                                + ", which no column getter reads; supported: "
                                + FieldReader.supported());
            }
        }
        return readers;
    }

    private T construct(Constructor<T> constructor, Object[] values) {
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw new TypedMappingException(
                    "The constructor of " + type.getName() + " failed: " + e.getCause(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new TypedMappingException("Cannot construct " + type.getName(), e);
        }
    }

    @FunctionalInterface
    private interface Setter {
        void set(Object target, Object value) throws ReflectiveOperationException;
    }

    @FunctionalInterface
    private interface Factory<T> {
        T create(Object[] values);
    }

    /** The resolved reflection: per field its name, column, reader; and how to build a T. */
    private static final class Target<T> {
        final List<String> fieldNames;
        final String[] columns;
        final FieldReader[] readers;
        final Factory<T> factory;

        Target(List<String> fieldNames, String[] columns, FieldReader[] readers, Factory<T> f) {
            this.fieldNames = fieldNames;
            this.columns = columns;
            this.readers = readers;
            this.factory = f;
        }

        T create(Object[] values) {
            return factory.create(values);
        }
    }

    /** Builds a {@link RowMapper}. */
    @PublicEvolving
    public static final class Builder<T> {
        private final Class<T> type;
        private ColumnNaming naming = ColumnNaming.EXACT;
        private final Map<String, String> columnOverrides = new HashMap<>();
        private MissingColumns missingColumns = MissingColumns.FAIL;
        private ExtraColumns extraColumns = ExtraColumns.IGNORE;
        private UnchangedValues unchangedValues = UnchangedValues.FAIL;

        private Builder(Class<T> type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        /** How field names become column names (default {@link ColumnNaming#EXACT}). */
        public Builder<T> naming(ColumnNaming value) {
            this.naming = Objects.requireNonNull(value);
            return this;
        }

        /** Field {@code field} reads column {@code column}, whatever the naming says. */
        public Builder<T> column(String field, String column) {
            columnOverrides.put(Objects.requireNonNull(field), Objects.requireNonNull(column));
            return this;
        }

        public Builder<T> missingColumns(MissingColumns value) {
            this.missingColumns = Objects.requireNonNull(value);
            return this;
        }

        public Builder<T> extraColumns(ExtraColumns value) {
            this.extraColumns = Objects.requireNonNull(value);
            return this;
        }

        public Builder<T> unchangedValues(UnchangedValues value) {
            this.unchangedValues = Objects.requireNonNull(value);
            return this;
        }

        /**
         * @throws TypedMappingException if the type cannot receive rows (no canonical or no-arg
         *     constructor, a field type no getter reads, a private field without a setter)
         */
        public RowMapper<T> build() {
            return new RowMapper<>(this);
        }
    }
}
