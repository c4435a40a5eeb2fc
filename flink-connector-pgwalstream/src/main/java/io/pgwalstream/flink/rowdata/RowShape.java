package io.pgwalstream.flink.rowdata;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.types.logical.LogicalType;

import java.io.Serializable;
import java.util.List;

/**
 * The shape of the produced rows: the physical fields (after projection), matched to PostgreSQL
 * columns by name, followed by the metadata columns.
 *
 * @param database the value of the {@code database_name} metadata column
 */
@Internal
record RowShape(
        List<String> fieldNames,
        List<LogicalType> fieldTypes,
        List<MetadataColumn> metadata,
        String database)
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
}
