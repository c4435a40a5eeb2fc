package io.pgwalstream.flink.rowdata;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.RelationSchema;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.types.PgTypeRegistry;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * Converts the tuples of one relation, as one Relation message describes it, into rows of the
 * declared shape: physical fields matched to the relation's columns <em>by name</em> (so columns
 * added to the PostgreSQL table are ignored, and reordering does not matter), then the metadata
 * columns. Built again whenever the server announces a new shape of the table.
 */
final class RelationRowConverter {

    private final RelationSchema schema;
    private final TupleToRowData tuples;
    private final int arity;

    /** Output position of each field {@link #tuples} produces. */
    private final int[] targetOfConverted;

    private final List<MetadataColumn> metadata;
    private final StringData database;
    private final boolean passThrough;
    private final boolean toastFill;
    private final int dataArity;

    RelationRowConverter(
            RelationSchema schema,
            RowShape shape,
            DroppedColumnMode droppedColumns,
            PgTypeRegistry registry,
            ConversionPolicies policies,
            ConversionWarnings warnings) {
        this.schema = schema;
        List<Integer> projection = new ArrayList<>();
        List<LogicalType> types = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        for (int i = 0; i < shape.fieldNames().size(); i++) {
            String name = shape.fieldNames().get(i);
            int column = columnIndex(schema, name);
            if (column < 0) {
                checkDroppedColumn(schema, name, shape.fieldTypes().get(i), droppedColumns);
                continue;
            }
            projection.add(column);
            types.add(shape.fieldTypes().get(i));
            targets.add(i);
        }
        this.tuples =
                TupleToRowData.create(
                        schema.relation(),
                        projection.stream().mapToInt(Integer::intValue).toArray(),
                        types,
                        registry,
                        policies,
                        warnings);
        this.targetOfConverted = targets.stream().mapToInt(Integer::intValue).toArray();
        this.metadata = shape.metadata();
        this.database = StringData.fromString(shape.database());
        this.arity = shape.arity();
        this.dataArity = shape.dataArity();
        this.toastFill = shape.toastFill();
        this.passThrough =
                !toastFill && metadata.isEmpty() && targets.size() == shape.fieldNames().size();
    }

    RelationSchema schema() {
        return schema;
    }

    /**
     * One row.
     *
     * @param fallback where unchanged TOASTed values may be taken from (a full old row), or null
     */
    GenericRowData convert(
            ChangeEvent event, TupleData tuple, @Nullable TupleData fallback, RowKind kind) {
        GenericRowData converted = tuples.convert(tuple, fallback, kind);
        if (passThrough) {
            return converted;
        }
        GenericRowData row = new GenericRowData(kind, arity);
        for (int i = 0; i < targetOfConverted.length; i++) {
            row.setField(targetOfConverted[i], converted.getField(i));
        }
        int base = dataArity - metadata.size();
        for (int i = 0; i < metadata.size(); i++) {
            row.setField(base + i, metadata.get(i).read(event, kind, database));
        }
        if (toastFill) {
            row.setField(dataArity, outputFlags(tuples.toastFlags()));
            row.setField(dataArity + 1, Integer.toUnsignedLong(event.transaction().xid()));
        }
        return row;
    }

    /** The converted fields' flags at their output positions; null when all are 0 (common). */
    private byte[] outputFlags(byte[] converted) {
        byte[] out = null;
        for (int i = 0; i < targetOfConverted.length; i++) {
            if (converted[i] != 0) {
                if (out == null) {
                    out = new byte[dataArity];
                }
                out[targetOfConverted[i]] = converted[i];
            }
        }
        return out;
    }

    private static int columnIndex(RelationSchema schema, String name) {
        List<RelationColumn> columns = schema.columns();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static void checkDroppedColumn(
            RelationSchema schema, String name, LogicalType type, DroppedColumnMode mode) {
        String where =
                "Column \""
                        + name
                        + "\" is declared in the Flink table but "
                        + schema.schemaName()
                        + "."
                        + schema.tableName()
                        + " no longer has it (dropped or renamed while the job runs)";
        if (mode == DroppedColumnMode.FAIL) {
            throw new ChangelogConversionException(
                    where
                            + ". Remove it from the Flink table, or set '"
                            + ChangelogOptions.DROPPED_COLUMN_MODE.key()
                            + "' = 'null' to read it as NULL.");
        }
        if (!type.isNullable()) {
            throw new ChangelogConversionException(
                    where
                            + " and it is declared NOT NULL, so '"
                            + ChangelogOptions.DROPPED_COLUMN_MODE.key()
                            + "' = 'null' cannot fill it. Declare it nullable or remove it.");
        }
    }
}
