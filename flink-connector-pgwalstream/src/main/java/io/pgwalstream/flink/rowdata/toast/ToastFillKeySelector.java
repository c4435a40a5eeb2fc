package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.RowType;

import java.util.Arrays;

/**
 * The primary key of an input row ({@link ToastFillLayout#keyFields()}) as a {@link
 * org.apache.flink.table.data.binary.BinaryRowData}.
 *
 * <p>Binary on purpose: its hash is one of its bytes, the same in every JVM, so the key groups a
 * key lands in agree between TaskManagers and across restores. A {@code GenericRowData} key would
 * hash its {@code RowKind} by identity, and its {@code StringData} by form. The key's RowKind is
 * always INSERT, so a row's UPDATE and DELETE meet the state its INSERT wrote.
 */
@Internal
public final class ToastFillKeySelector
        implements KeySelector<RowData, RowData>, ResultTypeQueryable<RowData> {

    private static final long serialVersionUID = 1L;

    private final int[] keyFields;
    private final RowType keyType;
    private final RowData.FieldGetter[] getters;

    private transient RowDataSerializer serializer;

    public ToastFillKeySelector(ToastFillLayout layout) {
        RowType inputType = layout.inputType();
        this.keyFields = layout.keyFields();
        this.keyType =
                new RowType(
                        false,
                        Arrays.stream(keyFields)
                                .mapToObj(k -> inputType.getFields().get(k))
                                .toList());
        this.getters = new RowData.FieldGetter[keyFields.length];
        for (int i = 0; i < keyFields.length; i++) {
            getters[i] = RowData.createFieldGetter(inputType.getTypeAt(keyFields[i]), keyFields[i]);
        }
    }

    @Override
    public RowData getKey(RowData row) {
        GenericRowData key = new GenericRowData(keyFields.length);
        for (int i = 0; i < getters.length; i++) {
            key.setField(i, getters[i].getFieldOrNull(row));
        }
        if (serializer == null) {
            serializer = new RowDataSerializer(keyType);
        }
        // toBinaryRow writes into one reused buffer: the copy is the key Flink may keep.
        return serializer.toBinaryRow(key).copy();
    }

    /** The key fields with their names and types. */
    public RowType keyType() {
        return keyType;
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return InternalTypeInfo.of(keyType);
    }
}
