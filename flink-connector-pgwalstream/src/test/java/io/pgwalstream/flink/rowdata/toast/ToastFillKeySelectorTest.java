package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.core.memory.MemorySegment;
import org.apache.flink.core.memory.MemorySegmentFactory;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.binary.BinaryRowData;
import org.apache.flink.table.data.binary.BinaryStringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ToastFillKeySelectorTest {

    /** {@code (doc TEXT, tenant TEXT, id INT, flags, xid)} keyed by (tenant, id), both hidden. */
    private static final RowType INPUT =
            RowType.of(
                    new LogicalType[] {
                        VarCharType.STRING_TYPE,
                        VarCharType.STRING_TYPE,
                        new IntType(false),
                        new VarBinaryType(VarBinaryType.MAX_LENGTH),
                        new BigIntType(false)
                    },
                    new String[] {"doc", "tenant", "id", "flags", "xid"});

    private static final ToastFillLayout LAYOUT =
            new ToastFillLayout(INPUT, 1, new int[] {1, 2}, 3, 4);

    private final ToastFillKeySelector selector = new ToastFillKeySelector(LAYOUT);

    @Test
    void equalKeysAreEqualWhateverTheRowKindAndTheStringForm() throws Exception {
        byte[] utf8 = "acme".getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[utf8.length + 3];
        System.arraycopy(utf8, 0, padded, 3, utf8.length);
        StringData[] forms = {
            StringData.fromString("acme"),
            StringData.fromBytes(utf8),
            BinaryStringData.fromAddress(
                    new MemorySegment[] {MemorySegmentFactory.wrap(padded)}, 3, utf8.length)
        };
        RowData first = selector.getKey(input(RowKind.INSERT, forms[0], 5));
        for (RowKind kind : RowKind.values()) {
            for (StringData form : forms) {
                RowData key = selector.getKey(input(kind, form, 5));
                assertThat(key).isInstanceOf(BinaryRowData.class).isEqualTo(first);
                assertThat(key.hashCode()).isEqualTo(first.hashCode());
                assertThat(key.getRowKind()).isEqualTo(RowKind.INSERT);
            }
        }
        assertThat(selector.getKey(input(RowKind.INSERT, forms[0], 6))).isNotEqualTo(first);
    }

    @Test
    void aKeyIsItsFieldsInKeyOrder() {
        RowData key =
                selector.getKey(input(RowKind.UPDATE_AFTER, StringData.fromString("acme"), 5));

        assertThat(key.getArity()).isEqualTo(2);
        assertThat(key.getString(0).toString()).isEqualTo("acme");
        assertThat(key.getInt(1)).isEqualTo(5);
        assertThat(selector.keyType().getFieldNames()).containsExactly("tenant", "id");
    }

    @Test
    void theKeyHashDependsOnTheKeyBytesOnly() {
        // A constant: the key group of a key must be the same in every JVM and after a restore.
        RowData key = selector.getKey(input(RowKind.DELETE, StringData.fromString("acme"), 5));

        assertThat(key.hashCode()).isEqualTo(1952163320);
    }

    @Test
    void aKeyFromABinaryInputRowEqualsTheKeyFromAGenericOne() {
        GenericRowData generic = input(RowKind.UPDATE_AFTER, StringData.fromString("acme"), 5);
        BinaryRowData binary = new RowDataSerializer(INPUT).toBinaryRow(generic).copy();

        assertThat(selector.getKey(binary)).isEqualTo(selector.getKey(generic));
    }

    @Test
    void aSerializedSelectorGivesTheSameKeys() throws Exception {
        ToastFillKeySelector copy = InstantiationUtil.clone(selector, getClass().getClassLoader());
        GenericRowData row = input(RowKind.INSERT, StringData.fromString("acme"), 5);

        assertThat(copy.getKey(row)).isEqualTo(selector.getKey(row));
        assertThat(copy.getProducedType())
                .isEqualTo(InternalTypeInfo.of(selector.keyType()))
                .isEqualTo(selector.getProducedType());
    }

    private static GenericRowData input(RowKind kind, StringData tenant, int id) {
        return GenericRowData.ofKind(kind, StringData.fromString("doc"), tenant, id, null, 1L);
    }
}
