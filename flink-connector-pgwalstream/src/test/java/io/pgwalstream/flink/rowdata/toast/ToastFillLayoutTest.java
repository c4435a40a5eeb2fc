package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarBinaryType;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToastFillLayoutTest {

    /** {@code (a INT, b INT, flags, xid)}. */
    private static final RowType INPUT =
            RowType.of(
                    new LogicalType[] {
                        new IntType(),
                        new IntType(),
                        new VarBinaryType(VarBinaryType.MAX_LENGTH),
                        new BigIntType()
                    },
                    new String[] {"a", "b", "flags", "xid"});

    @Test
    void theFlagsAndTheXidMustBeTheLastTwoFields() {
        assertThatThrownBy(() -> new ToastFillLayout(INPUT, 1, new int[] {0}, 1, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "The flags and the xid must be the last two of the 4 input fields, not at"
                                + " 1 and 3");
    }

    @Test
    void theOutputMustHoldAFieldAndNoFlags() {
        assertThatThrownBy(() -> new ToastFillLayout(INPUT, 0, new int[] {0}, 2, 3))
                .hasMessage("Output arity 0 outside 1..2");
        assertThatThrownBy(() -> new ToastFillLayout(INPUT, 3, new int[] {0}, 2, 3))
                .hasMessage("Output arity 3 outside 1..2");
    }

    @Test
    void aKeyIsRequiredAndMustBeADataField() {
        assertThatThrownBy(() -> new ToastFillLayout(INPUT, 2, new int[0], 2, 3))
                .hasMessage("Filling unchanged TOAST needs a primary key");
        assertThatThrownBy(() -> new ToastFillLayout(INPUT, 2, new int[] {2}, 2, 3))
                .hasMessage("Key field 2 outside the data fields 0..1");
        assertThatThrownBy(() -> new ToastFillLayout(INPUT, 2, new int[] {-1}, 2, 3))
                .hasMessage("Key field -1 outside the data fields 0..1");
    }

    @Test
    void theKeyFieldsCannotBeChangedFromOutside() {
        int[] keys = {0};
        ToastFillLayout layout = new ToastFillLayout(INPUT, 1, keys, 2, 3);
        keys[0] = 1;
        layout.keyFields()[0] = 1;

        assertThat(layout.keyFields()).containsExactly(0);
        assertThat(layout).isEqualTo(new ToastFillLayout(INPUT, 1, new int[] {0}, 2, 3));
        assertThat(layout.dataArity()).isEqualTo(2);
    }
}
