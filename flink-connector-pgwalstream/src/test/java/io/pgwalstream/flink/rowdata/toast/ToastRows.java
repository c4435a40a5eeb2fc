package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.types.RowKind;

import javax.annotation.Nullable;

/**
 * Rows of a table {@code (id INT PRIMARY KEY, doc TEXT, small INT)} as the deserializer lays them
 * out for the fill operator: {@code id, doc, small, flags, xid}; the output is {@code id, doc,
 * small}.
 */
final class ToastRows {

    static final byte N = ToastFlags.NOT_KEPT;
    static final byte K = ToastFlags.KEEP;
    static final byte U = ToastFlags.UNCHANGED;

    static final RowType INPUT =
            RowType.of(
                    new LogicalType[] {
                        new IntType(false),
                        VarCharType.STRING_TYPE,
                        new IntType(),
                        new VarBinaryType(VarBinaryType.MAX_LENGTH),
                        new BigIntType(false)
                    },
                    new String[] {"id", "doc", "small", "flags", "xid"});

    static final ToastFillLayout LAYOUT = new ToastFillLayout(INPUT, 3, new int[] {0}, 3, 4);

    static final int MAX_PARALLELISM = 128;

    private ToastRows() {}

    /** An input row; {@code doc} is NULL when flagged UNCHANGED, as the deserializer sends it. */
    static GenericRowData in(
            RowKind kind, int id, @Nullable String doc, int small, @Nullable byte[] flags) {
        return GenericRowData.ofKind(
                kind, id, doc == null ? null : StringData.fromString(doc), small, flags, 7L);
    }

    /** An output row. */
    static GenericRowData out(RowKind kind, int id, @Nullable String doc, int small) {
        return GenericRowData.ofKind(
                kind, id, doc == null ? null : StringData.fromString(doc), small);
    }

    /** An output row of {@code (id, doc, small)} in the form {@link #out} builds. */
    static GenericRowData generic(RowData row) {
        return GenericRowData.ofKind(
                row.getRowKind(),
                row.getInt(0),
                row.isNullAt(1) ? null : StringData.fromString(row.getString(1).toString()),
                row.getInt(2));
    }

    static byte[] flags(byte... flags) {
        return flags;
    }

    /** A harness around {@code fill} for one subtask of {@code parallelism}, not yet opened. */
    static KeyedOneInputStreamOperatorTestHarness<RowData, RowData, RowData> harness(
            ToastFillFunction fill, ToastFillLayout layout, int parallelism, int subtask)
            throws Exception {
        ToastFillKeySelector keys = new ToastFillKeySelector(layout);
        TypeInformation<RowData> keyType = keys.getProducedType();
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(fill),
                        keys,
                        keyType,
                        MAX_PARALLELISM,
                        parallelism,
                        subtask);
        // The harness copies what the operator emits with this serializer (Kryo otherwise).
        harness.setup(((InternalTypeInfo<RowData>) fill.getProducedType()).toRowSerializer());
        return harness;
    }

    /** An opened harness for a single subtask. */
    static KeyedOneInputStreamOperatorTestHarness<RowData, RowData, RowData> opened(
            ToastFillFunction fill) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<RowData, RowData, RowData> harness =
                harness(fill, LAYOUT, 1, 0);
        harness.open();
        return harness;
    }
}
