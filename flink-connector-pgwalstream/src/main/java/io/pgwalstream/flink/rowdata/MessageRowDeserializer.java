package io.pgwalstream.flink.rowdata;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.flink.source.ChangeEventDeserializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.Set;

/**
 * The rows of a message stream table: one insert-only row per logical decoding message whose prefix
 * is kept, with the declared {@link MessageColumn}s; row changes are not emitted.
 */
@Internal
public final class MessageRowDeserializer implements ChangeEventDeserializer<RowData> {

    private static final long serialVersionUID = 1L;

    private final MessageColumn[] columns;
    private final LogicalType[] types;
    private final Set<String> prefixes;
    private final TypeInformation<RowData> producedType;

    /**
     * @param row the declared columns, each a {@link MessageColumn}
     * @param prefixes the prefixes to keep; empty: every prefix
     * @throws org.apache.flink.table.api.ValidationException for a column that is none of them
     */
    public MessageRowDeserializer(
            RowType row, List<String> prefixes, TypeInformation<RowData> producedType) {
        int n = row.getFieldCount();
        this.columns = new MessageColumn[n];
        this.types = new LogicalType[n];
        for (int i = 0; i < n; i++) {
            types[i] = row.getTypeAt(i);
            columns[i] = MessageColumn.of(row.getFieldNames().get(i), types[i]);
        }
        this.prefixes = Set.copyOf(prefixes);
        this.producedType = producedType;
    }

    @Override
    public void deserialize(ChangeEvent event, Collector<RowData> out) {
        if (event.kind() != ChangeKind.MESSAGE) {
            return;
        }
        if (!prefixes.isEmpty() && !prefixes.contains(event.message().prefix())) {
            return;
        }
        GenericRowData row = new GenericRowData(columns.length);
        for (int i = 0; i < columns.length; i++) {
            row.setField(i, columns[i].read(event, types[i]));
        }
        out.collect(row);
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
