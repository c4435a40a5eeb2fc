package io.pgwalstream.flink.rowdata.toast;

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

import org.junit.jupiter.api.Test;

import static io.pgwalstream.flink.rowdata.toast.ToastRows.K;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.N;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.U;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.flags;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.in;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.opened;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.out;
import static org.apache.flink.types.RowKind.DELETE;
import static org.apache.flink.types.RowKind.INSERT;
import static org.apache.flink.types.RowKind.UPDATE_AFTER;
import static org.apache.flink.types.RowKind.UPDATE_BEFORE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToastFillFunctionTest {

    private final ToastFillFunction failing =
            new ToastFillFunction(ToastRows.LAYOUT, MissingValuePolicy.FAIL, null);

    @Test
    void anUnchangedValueIsFilledFromTheInsertThatKeptIt() throws Exception {
        try (var harness = opened(failing)) {
            harness.processElement(in(INSERT, 1, "big-1", 10, flags(N, K, N)), 0);
            harness.processElement(in(UPDATE_AFTER, 1, null, 11, flags(N, U, N)), 0);

            assertThat(harness.extractOutputValues())
                    .containsExactly(
                            out(INSERT, 1, "big-1", 10), out(UPDATE_AFTER, 1, "big-1", 11));
            assertThat(failing.counters().filledFromState.getCount()).isEqualTo(1);
        }
    }

    @Test
    void anUpdateOfOnlySmallFieldsIsFilledAndRewritesNoState() throws Exception {
        try (var harness = opened(failing)) {
            harness.processElement(in(INSERT, 1, "big-1", 10, flags(N, K, N)), 0);
            for (int small = 11; small <= 13; small++) {
                harness.processElement(in(UPDATE_AFTER, 1, null, small, flags(N, U, N)), 0);
            }

            assertThat(harness.extractOutputValues())
                    .endsWith(
                            out(UPDATE_AFTER, 1, "big-1", 11),
                            out(UPDATE_AFTER, 1, "big-1", 12),
                            out(UPDATE_AFTER, 1, "big-1", 13));
            assertThat(failing.counters().stateWrites.getCount()).isEqualTo(1);
            assertThat(failing.counters().filledFromState.getCount()).isEqualTo(3);
        }
    }

    @Test
    void aValueKeptAgainAfterAChangeIsTheOneFilled() throws Exception {
        try (var harness = opened(failing)) {
            harness.processElement(in(INSERT, 1, "big-1", 10, flags(N, K, N)), 0);
            harness.processElement(in(UPDATE_AFTER, 1, "big-2", 10, flags(N, K, N)), 0);
            harness.processElement(in(UPDATE_AFTER, 1, null, 20, flags(N, U, N)), 0);

            assertThat(harness.extractOutputValues())
                    .last()
                    .isEqualTo(out(UPDATE_AFTER, 1, "big-2", 20));
            assertThat(failing.counters().stateWrites.getCount()).isEqualTo(2);
        }
    }

    @Test
    void keysHaveTheirOwnValues() throws Exception {
        try (var harness = opened(failing)) {
            harness.processElement(in(INSERT, 1, "big-1", 10, flags(N, K, N)), 0);
            harness.processElement(in(INSERT, 2, "big-2", 20, flags(N, K, N)), 0);
            harness.processElement(in(UPDATE_AFTER, 2, null, 21, flags(N, U, N)), 0);
            harness.processElement(in(UPDATE_AFTER, 1, null, 11, flags(N, U, N)), 0);

            assertThat(harness.extractOutputValues())
                    .endsWith(out(UPDATE_AFTER, 2, "big-2", 21), out(UPDATE_AFTER, 1, "big-1", 11));
            assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        }
    }

    @Test
    void aDeleteClearsStateSoALaterUnchangedValueFailsNamingTheFix() throws Exception {
        try (var harness = opened(failing)) {
            harness.processElement(in(INSERT, 1, "big-1", 10, flags(N, K, N)), 0);
            harness.processElement(in(DELETE, 1, "big-1", 10, flags(N, K, N)), 0);

            assertThat(harness.extractOutputValues()).last().isEqualTo(out(DELETE, 1, "big-1", 10));
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(failing.counters().stateClears.getCount()).isEqualTo(1);

            assertThatThrownBy(
                            () ->
                                    harness.processElement(
                                            in(UPDATE_AFTER, 1, null, 11, flags(N, U, N)), 0))
                    .isInstanceOf(UnchangedToastMissingException.class)
                    .hasMessageContaining("unchanged TOASTed value of doc in an UPDATE_AFTER")
                    .hasMessageContaining("key (id=1)")
                    .hasMessageContaining("holds no values for this key")
                    .hasMessageContaining("scan.startup.mode = 'initial'")
                    .hasMessageContaining("'types.unchanged-toast.missing' = 'LOOKUP'");
        }
    }

    @Test
    void aValueThatWasNotKeptIsMissingLater() throws Exception {
        try (var harness = opened(failing)) {
            harness.processElement(in(INSERT, 1, "big-1", 10, flags(N, K, N)), 0);

            assertThatThrownBy(
                            () ->
                                    harness.processElement(
                                            in(UPDATE_AFTER, 1, null, 0, flags(N, U, U)), 0))
                    .isInstanceOf(UnchangedToastMissingException.class)
                    .hasMessageContaining("value of small in")
                    .hasMessageContaining("state does not hold them");
        }
    }

    @Test
    void stateIsClearedWhenNothingIsKept() throws Exception {
        try (var harness = opened(failing)) {
            harness.processElement(in(INSERT, 1, "small text", 10, null), 0);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(failing.counters().stateWrites.getCount()).isZero();

            harness.processElement(in(UPDATE_AFTER, 1, "big-1", 10, flags(N, K, N)), 0);
            assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

            harness.processElement(in(UPDATE_AFTER, 1, "short again", 10, flags(N, N, N)), 0);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.extractOutputValues())
                    .containsExactly(
                            out(INSERT, 1, "small text", 10),
                            out(UPDATE_AFTER, 1, "big-1", 10),
                            out(UPDATE_AFTER, 1, "short again", 10));
        }
    }

    @Test
    void anUpdateBeforePassesAndLeavesStateAsItIs() throws Exception {
        try (var harness = opened(failing)) {
            harness.processElement(in(INSERT, 1, "big-1", 10, flags(N, K, N)), 0);
            harness.processElement(in(UPDATE_BEFORE, 1, "big-1", 10, null), 0);
            harness.processElement(in(UPDATE_AFTER, 1, null, 11, flags(N, U, N)), 0);

            assertThat(harness.extractOutputValues())
                    .containsExactly(
                            out(INSERT, 1, "big-1", 10),
                            out(UPDATE_BEFORE, 1, "big-1", 10),
                            out(UPDATE_AFTER, 1, "big-1", 11));
            assertThat(failing.counters().stateClears.getCount()).isZero();
        }
    }

    @Test
    void theInputRowIsLeftAsItWas() throws Exception {
        try (var harness = opened(failing)) {
            harness.processElement(in(INSERT, 1, "big-1", 10, flags(N, K, N)), 0);
            GenericRowData update = in(UPDATE_AFTER, 1, null, 11, flags(N, U, N));
            harness.processElement(update, 0);

            assertThat(update).isEqualTo(in(UPDATE_AFTER, 1, null, 11, flags(N, U, N)));
            assertThat(harness.extractOutputValues().get(1)).isNotSameAs(update);
        }
    }

    @Test
    void hiddenKeyFieldsAreLeftOutOfTheOutput() throws Exception {
        RowType input =
                RowType.of(
                        new LogicalType[] {
                            VarCharType.STRING_TYPE,
                            new IntType(),
                            new IntType(false),
                            new VarBinaryType(VarBinaryType.MAX_LENGTH),
                            new BigIntType(false)
                        },
                        new String[] {"doc", "small", "id", "flags", "xid"});
        ToastFillLayout layout = new ToastFillLayout(input, 2, new int[] {2}, 3, 4);
        ToastFillFunction fill = new ToastFillFunction(layout, MissingValuePolicy.FAIL, null);
        try (KeyedOneInputStreamOperatorTestHarness<RowData, RowData, RowData> harness =
                ToastRows.harness(fill, layout, 1, 0)) {
            harness.open();
            harness.processElement(row(INSERT, "big-1", 10, 1, flags(K, N, N)), 0);
            harness.processElement(row(INSERT, "big-2", 20, 2, flags(K, N, N)), 0);
            harness.processElement(row(UPDATE_AFTER, null, 11, 1, flags(U, N, N)), 0);

            assertThat(harness.extractOutputValues())
                    .containsExactly(
                            GenericRowData.ofKind(INSERT, StringData.fromString("big-1"), 10),
                            GenericRowData.ofKind(INSERT, StringData.fromString("big-2"), 20),
                            GenericRowData.ofKind(
                                    UPDATE_AFTER, StringData.fromString("big-1"), 11));
            assertThat(
                            ((InternalTypeInfo<RowData>) fill.getProducedType())
                                    .toRowType()
                                    .getFieldNames())
                    .containsExactly("doc", "small");
        }
    }

    private static GenericRowData row(RowKind kind, String doc, int small, int id, byte[] flags) {
        return GenericRowData.ofKind(
                kind, doc == null ? null : StringData.fromString(doc), small, id, flags, 7L);
    }

    @Test
    void flagsOfTheWrongLengthFail() throws Exception {
        try (var harness = opened(failing)) {
            assertThatThrownBy(() -> harness.processElement(in(INSERT, 1, "x", 1, flags(K)), 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("holds 1 flags for the 3 data fields");
        }
    }
}
