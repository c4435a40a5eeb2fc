package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.table.data.StringData;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.pgwalstream.flink.rowdata.toast.ToastRows.N;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.U;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.flags;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.in;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.opened;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.out;
import static org.apache.flink.types.RowKind.DELETE;
import static org.apache.flink.types.RowKind.UPDATE_AFTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link MissingValuePolicy#LOOKUP}: values state does not hold are read by key. */
class ToastFillLookupTest {

    @Test
    void theLookupIsAskedForTheMissingFieldsAndItsValuesAreKept() throws Exception {
        RecordingLookup lookup =
                new RecordingLookup()
                        .answer(
                                new ToastLookup.Result(
                                        new Object[] {StringData.fromString("a")}, true))
                        .answer(
                                new ToastLookup.Result(
                                        new Object[] {StringData.fromString("b")}, false));
        ToastFillFunction fill =
                new ToastFillFunction(ToastRows.LAYOUT, MissingValuePolicy.LOOKUP, lookup);
        try (var harness = opened(fill)) {
            assertThat(lookup.opened).isEqualTo(1);
            harness.processElement(in(UPDATE_AFTER, 1, null, 11, flags(N, U, N)), 0);
            harness.processElement(in(UPDATE_AFTER, 2, null, 21, flags(N, U, N)), 0);
            harness.processElement(in(UPDATE_AFTER, 1, null, 12, flags(N, U, N)), 0);

            assertThat(lookup.calls)
                    .containsExactly(
                            new RecordingLookup.Call(1, List.of(1)),
                            new RecordingLookup.Call(2, List.of(1)));
            assertThat(harness.extractOutputValues())
                    .containsExactly(
                            out(UPDATE_AFTER, 1, "a", 11),
                            out(UPDATE_AFTER, 2, "b", 21),
                            out(UPDATE_AFTER, 1, "a", 12));
            assertThat(fill.counters().filledFromLookup.getCount()).isEqualTo(2);
            assertThat(fill.counters().lookupsNotExact.getCount()).isEqualTo(1);
            assertThat(fill.counters().filledFromState.getCount()).isEqualTo(1);
        }
        assertThat(lookup.closed).isEqualTo(1);
    }

    @Test
    void aRowTheLookupFindsGoneIsNotEmitted() throws Exception {
        RecordingLookup lookup = new RecordingLookup().answer(null);
        ToastFillFunction fill =
                new ToastFillFunction(ToastRows.LAYOUT, MissingValuePolicy.LOOKUP, lookup);
        try (var harness = opened(fill)) {
            harness.processElement(in(UPDATE_AFTER, 1, null, 11, flags(N, U, N)), 0);
            harness.processElement(in(DELETE, 1, null, 0, null), 0);

            assertThat(harness.extractOutputValues()).containsExactly(out(DELETE, 1, null, 0));
            assertThat(fill.counters().lookupRowsGone.getCount()).isEqualTo(1);
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aLookupAnsweringNullForAValueFails() throws Exception {
        RecordingLookup lookup =
                new RecordingLookup().answer(new ToastLookup.Result(new Object[] {null}, true));
        ToastFillFunction fill =
                new ToastFillFunction(ToastRows.LAYOUT, MissingValuePolicy.LOOKUP, lookup);
        try (var harness = opened(fill)) {
            assertThatThrownBy(
                            () ->
                                    harness.processElement(
                                            in(UPDATE_AFTER, 1, null, 11, flags(N, U, N)), 0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("NULL for the unchanged field [doc]");
        }
    }

    @Test
    void lookupPolicyNeedsALookup() {
        assertThatThrownBy(
                        () ->
                                new ToastFillFunction(
                                        ToastRows.LAYOUT, MissingValuePolicy.LOOKUP, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a ToastLookup");
    }
}
