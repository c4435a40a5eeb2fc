package io.pgwalstream.flink.rowdata;

import io.pgwalstream.flink.rowdata.PgConversionOptions.UnchangedToast;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.TupleCursor;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.types.OutOfLineStorage;
import io.pgwalstream.types.PgTypeRegistry;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;

import javax.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Converts the TupleData of one relation into {@link GenericRowData} rows with a projection: field
 * {@code i} of every row is source column {@code projection[i]} converted to {@code
 * targetTypes[i]}. Converters are chosen once, when this is created, and validated against the
 * relation's column types; create a new instance when a new Relation message arrives for the table.
 *
 * <p>Values are read straight from the message buffer ({@link TupleCursor}); the tuple is walked
 * once and only up to the last projected column. Per row it allocates the row and its field array;
 * per value see the converters (boxing where GenericRowData forces it, one {@code StringData}
 * wrapper per string, one {@code TimestampData} per timestamp, …).
 *
 * <p>Unchanged TOASTed values ({@code 'u'}) are taken from the {@code fallback} tuple when the
 * caller passes one that has a value for the column (a REPLICA IDENTITY FULL old tuple always has);
 * otherwise {@link PgConversionOptions#UNCHANGED_TOAST} decides. A NULL or {@code 'u'} in the
 * fallback is not a value: a key-only ({@code 'K'}) old tuple sends non-key columns as NULL. Under
 * {@link UnchangedToast#FILL} such a value becomes NULL and {@link #toastFlags()} tells the fill
 * operator which fields to fill and which values it must keep for later.
 *
 * <p>Not thread-safe: one instance per reader thread.
 */
@PublicEvolving
public final class TupleToRowData {

    // The values of io.pgwalstream.flink.rowdata.toast.ToastFlags (that package depends on this).
    private static final byte NOT_KEPT = 0;
    private static final byte KEEP = 1;
    private static final byte UNCHANGED = 2;

    private final Relation relation;
    private final int[] projection;
    private final String[] columnNames;
    private final ValueConverter[] converters;

    /** Target positions ordered by source column, and the source column of each. */
    private final int[] targetsBySource;

    private final int[] sourceOfTarget;
    private final int lastSource;
    private final ConversionPolicies policies;
    private final ConversionWarnings warnings;
    private final String[] pgTypes;

    /**
     * What {@link UnchangedToast#PLACEHOLDER} emits per field; null where the type cannot hold it.
     */
    private final Object[] placeholders;

    /** Per field, whether its values may be stored out of line (FILL only). */
    private final OutOfLineStorage.Rule[] storage;

    /** The {@code ToastFlags} of the last row (FILL only, else null). */
    @Nullable private final byte[] flags;

    private final TupleCursor cursor = new TupleCursor();
    private final TupleCursor fallbackCursor = new TupleCursor();

    private TupleToRowData(
            Relation relation,
            int[] projection,
            List<LogicalType> targetTypes,
            PgTypeRegistry registry,
            ConversionPolicies policies,
            ConversionWarnings warnings) {
        List<RelationColumn> columns = relation.columns();
        if (projection.length != targetTypes.size()) {
            throw new IllegalArgumentException(
                    projection.length + " projected columns but " + targetTypes.size() + " types");
        }
        this.relation = relation;
        this.projection = projection.clone();
        this.policies = policies;
        this.warnings = warnings;
        this.converters = new ValueConverter[projection.length];
        this.columnNames = new String[projection.length];
        this.pgTypes = new String[projection.length];
        this.placeholders = new Object[projection.length];
        this.storage = new OutOfLineStorage.Rule[projection.length];
        this.flags =
                policies.unchangedToast() == UnchangedToast.FILL
                        ? new byte[projection.length]
                        : null;
        ConverterFactory factory = new ConverterFactory(registry, policies, warnings);
        for (int i = 0; i < projection.length; i++) {
            int source = projection[i];
            if (source < 0 || source >= columns.size()) {
                throw new ValidationException(
                        "Projected column index "
                                + source
                                + " is outside "
                                + qualifiedName(relation)
                                + " with "
                                + columns.size()
                                + " columns");
            }
            RelationColumn column = columns.get(source);
            converters[i] =
                    factory.create(
                            column.name(),
                            column.typeOid(),
                            column.typeModifier(),
                            targetTypes.get(i));
            columnNames[i] = column.name();
            placeholders[i] = placeholder(targetTypes.get(i), policies.unchangedToastPlaceholder());
            pgTypes[i] =
                    PgTypeMapping.displayName(
                            registry.resolve(column.typeOid()), column.typeModifier());
            storage[i] = OutOfLineStorage.ruleFor(registry.resolve(column.typeOid()));
        }
        Integer[] order = new Integer[projection.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(projection[a], projection[b]));
        this.targetsBySource = new int[order.length];
        this.sourceOfTarget = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            targetsBySource[i] = order[i];
            sourceOfTarget[i] = projection[order[i]];
        }
        this.lastSource = order.length == 0 ? -1 : sourceOfTarget[order.length - 1];
    }

    /**
     * A converter for the given projection and declared Flink types.
     *
     * @param projection source column index for each produced field
     * @param targetTypes the declared Flink type of each produced field
     * @throws ValidationException if a column cannot be read as its declared type
     */
    public static TupleToRowData create(
            Relation relation,
            int[] projection,
            List<LogicalType> targetTypes,
            PgTypeRegistry registry,
            ConversionPolicies policies,
            ConversionWarnings warnings) {
        return new TupleToRowData(relation, projection, targetTypes, registry, policies, warnings);
    }

    /** A converter for the given projection and a ROW type with one field per projected column. */
    public static TupleToRowData create(
            Relation relation,
            int[] projection,
            RowType targetType,
            PgTypeRegistry registry,
            ConversionPolicies policies,
            ConversionWarnings warnings) {
        return create(relation, projection, targetType.getChildren(), registry, policies, warnings);
    }

    /** Every column of the relation, each with its default mapping ({@link PgTypeMapping}). */
    public static TupleToRowData allColumns(
            Relation relation,
            PgTypeRegistry registry,
            ConversionPolicies policies,
            ConversionWarnings warnings) {
        PgTypeMapping mapping = new PgTypeMapping(policies);
        int n = relation.columns().size();
        int[] projection = new int[n];
        List<LogicalType> types = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            projection[i] = i;
            DataType type = mapping.map(relation.columns().get(i), registry);
            types.add(type.getLogicalType());
        }
        return create(relation, projection, types, registry, policies, warnings);
    }

    public Relation relation() {
        return relation;
    }

    /** Source column index of each produced field. */
    public int[] projection() {
        return projection.clone();
    }

    /** Converts a tuple with no fallback; row kind INSERT. */
    public GenericRowData convert(TupleData tuple) {
        return convert(tuple, null, RowKind.INSERT);
    }

    /**
     * Converts a tuple.
     *
     * @param fallback a tuple of the same relation to take unchanged TOASTed values from, or null
     * @throws PgValueConversionException if a value cannot be converted under the policies
     */
    public GenericRowData convert(TupleData tuple, @Nullable TupleData fallback, RowKind kind) {
        checkShape("Tuple", tuple);
        if (fallback != null) {
            checkShape("Fallback tuple", fallback);
        }
        GenericRowData row = new GenericRowData(kind, converters.length);
        if (flags != null) {
            Arrays.fill(flags, NOT_KEPT);
        }
        if (lastSource < 0) {
            return row;
        }
        cursor.reset(tuple);
        if (fallback != null) {
            fallbackCursor.reset(fallback);
        }
        int next = 0;
        while (next < targetsBySource.length && cursor.next()) {
            int column = cursor.index();
            while (next < targetsBySource.length && sourceOfTarget[next] == column) {
                int target = targetsBySource[next++];
                row.setField(target, value(target, column, fallback));
            }
            if (column >= lastSource) {
                break;
            }
        }
        return row;
    }

    private Object value(int target, int column, @Nullable TupleData fallback) {
        switch (cursor.kindTag()) {
            case 't':
                keep(target, cursor);
                return convert(target, cursor, false);
            case 'b':
                keep(target, cursor);
                return convert(target, cursor, true);
            case 'u':
                return unchangedToast(target, column, fallback);
            default:
                return null;
        }
    }

    /**
     * Per field of the last row converted under {@link UnchangedToast#FILL}: {@code 0} (the value
     * is never out of line), {@code 1} (it may be: keep it) or {@code 2} (left out by the UPDATE:
     * the field is NULL, fill it). Valid until the next row; null under other policies.
     */
    @Nullable
    public byte[] toastFlags() {
        return flags;
    }

    private void keep(int target, TupleCursor c) {
        if (flags != null && OutOfLineStorage.mayBeExternal(storage[target], c.valueLength())) {
            flags[target] = KEEP;
        }
    }

    private Object convert(int target, TupleCursor c, boolean binary) {
        byte[] b = c.buffer();
        int off = c.valueOffset();
        int len = c.valueLength();
        try {
            return binary
                    ? converters[target].fromBinary(b, off, len)
                    : converters[target].fromText(b, off, len);
        } catch (PgValueConversionException e) {
            throw e;
        } catch (RuntimeException e) {
            String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new PgValueConversionException(
                    columnNames[target],
                    pgTypes[target],
                    ValuePreview.of(b, off, len, binary),
                    (binary ? "malformed binary value: " : "malformed text value: ") + what,
                    null,
                    e);
        }
    }

    private Object unchangedToast(int target, int column, @Nullable TupleData fallback) {
        if (fallback != null) {
            while (fallbackCursor.index() < column && fallbackCursor.next()) {
                // advance to the column
            }
            if (fallbackCursor.index() == column && fallbackCursor.hasValue()) {
                warnings.record(ConversionWarnings.Kind.UNCHANGED_TOAST_FROM_FALLBACK);
                keep(target, fallbackCursor);
                return convert(target, fallbackCursor, fallbackCursor.isBinary());
            }
        }
        if (flags != null) {
            flags[target] = UNCHANGED;
            return null;
        }
        String problem =
                "the value is an unchanged TOASTed value that is not in the WAL and no fallback"
                        + " tuple holds it (REPLICA IDENTITY FULL provides the old value)";
        UnchangedToast policy = policies.unchangedToast();
        if (policy == UnchangedToast.NULL_WITH_WARNING) {
            warnings.warn(
                    ConversionWarnings.Kind.UNCHANGED_TOAST_NULLED,
                    "Unchanged TOASTed value emitted as NULL: " + problem,
                    columnNames[target],
                    pgTypes[target],
                    PgConversionOptions.UNCHANGED_TOAST.key());
            return null;
        }
        if (policy == UnchangedToast.PLACEHOLDER && placeholders[target] != null) {
            warnings.record(ConversionWarnings.Kind.UNCHANGED_TOAST_PLACEHOLDER);
            Object placeholder = placeholders[target];
            return placeholder instanceof byte[] bytes ? bytes.clone() : placeholder;
        }
        if (policy == UnchangedToast.PLACEHOLDER) {
            problem +=
                    "; a placeholder needs a STRING or BYTES column, declare the column as one or"
                            + " choose FAIL or NULL_WITH_WARNING";
        }
        throw new PgValueConversionException(
                columnNames[target],
                pgTypes[target],
                "(unchanged TOAST)",
                problem,
                PgConversionOptions.UNCHANGED_TOAST.key(),
                null);
    }

    private static Object placeholder(LogicalType type, String text) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return StringData.fromString(text);
            case BINARY:
            case VARBINARY:
                return text.getBytes(StandardCharsets.UTF_8);
            default:
                return null;
        }
    }

    private void checkShape(String what, TupleData tuple) {
        int columnCount = relation.columns().size();
        if (tuple.columnCount() != columnCount) {
            throw new IllegalArgumentException(
                    what
                            + " has "
                            + tuple.columnCount()
                            + " columns but "
                            + qualifiedName(relation)
                            + " has "
                            + columnCount);
        }
    }

    private static String qualifiedName(Relation relation) {
        return (relation.namespace().isEmpty() ? "pg_catalog" : relation.namespace())
                + "."
                + relation.relationName();
    }
}
