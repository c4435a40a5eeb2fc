package io.pgwalstream.flink.rowdata;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.types.logical.LogicalType;

import java.io.Serializable;
import java.util.List;

/**
 * The shape of the produced rows: the physical fields (after projection), matched to PostgreSQL
 * columns by name, followed by the metadata columns, and, for the unchanged-TOAST fill, by its
 * flags and the transaction id ({@code io.pgwalstream.flink.rowdata.toast.ToastFillLayout}).
 *
 * @param database the value of the {@code database_name} metadata column
 * @param toastFill whether the rows end with the fill operator's two hidden fields
 */
@Internal
record RowShape(
        List<String> fieldNames,
        List<LogicalType> fieldTypes,
        List<MetadataColumn> metadata,
        String database,
        boolean toastFill)
        implements Serializable {

    RowShape {
        fieldNames = List.copyOf(fieldNames);
        fieldTypes = List.copyOf(fieldTypes);
        metadata = List.copyOf(metadata);
        if (fieldNames.size() != fieldTypes.size()) {
            throw new IllegalArgumentException(
                    fieldNames.size() + " field names but " + fieldTypes.size() + " types");
        }
    }

    /** The physical fields and the metadata columns: what the flags cover. */
    int dataArity() {
        return fieldNames.size() + metadata.size();
    }

    int arity() {
        return dataArity() + (toastFill ? 2 : 0);
    }
}
