package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.RowData;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.pgwalstream.flink.rowdata.toast.ToastRows.K;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.LAYOUT;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.MAX_PARALLELISM;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.N;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.U;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.flags;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.in;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.out;
import static org.apache.flink.types.RowKind.INSERT;
import static org.apache.flink.types.RowKind.UPDATE_AFTER;
import static org.assertj.core.api.Assertions.assertThat;

/** The values survive a restore and move with their keys when the operator is rescaled. */
class ToastFillStateTest {

    private static final int KEYS = 40;

    private final ToastFillKeySelector keys = new ToastFillKeySelector(LAYOUT);

    @Test
    void aRestoredOperatorKeepsFilling() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = ToastRows.opened(fill())) {
            harness.processElement(in(INSERT, 1, "big-1", 10, flags(N, K, N)), 0);
            snapshot = harness.snapshot(1, 1);
        }
        ToastFillFunction restored = fill();
        try (var harness = ToastRows.harness(restored, LAYOUT, 1, 0)) {
            harness.initializeState(snapshot);
            harness.open();
            harness.processElement(in(UPDATE_AFTER, 1, null, 11, flags(N, U, N)), 0);

            assertThat(harness.extractOutputValues())
                    .containsExactly(out(UPDATE_AFTER, 1, "big-1", 11));
            assertThat(restored.counters().filledFromState.getCount()).isEqualTo(1);
        }
    }

    @Test
    void valuesFollowTheirKeysFromOneSubtaskToTwoAndBack() throws Exception {
        OperatorSubtaskState one;
        try (var harness = ToastRows.opened(fill())) {
            for (int id = 0; id < KEYS; id++) {
                harness.processElement(in(INSERT, id, "big-" + id, id, flags(N, K, N)), 0);
            }
            one = harness.snapshot(1, 1);
        }

        List<OperatorSubtaskState> two = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            ToastFillFunction fill = fill();
            try (var harness = ToastRows.harness(fill, LAYOUT, 2, subtask)) {
                harness.initializeState(
                        AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                one, MAX_PARALLELISM, 1, 2, subtask));
                harness.open();
                int owned = updateOwnKeys(harness, 2, subtask, 1000);
                assertThat(owned).as("keys of subtask %d", subtask).isBetween(1, KEYS - 1);
                assertThat(fill.counters().filledFromState.getCount()).isEqualTo(owned);
                two.add(harness.snapshot(2, 2));
            }
        }

        ToastFillFunction fill = fill();
        try (var harness = ToastRows.harness(fill, LAYOUT, 1, 0)) {
            harness.initializeState(
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(
                            AbstractStreamOperatorTestHarness.repackageState(
                                    two.toArray(OperatorSubtaskState[]::new)),
                            MAX_PARALLELISM,
                            2,
                            1,
                            0));
            harness.open();
            assertThat(updateOwnKeys(harness, 1, 0, 2000)).isEqualTo(KEYS);
            assertThat(fill.counters().filledFromState.getCount()).isEqualTo(KEYS);
        }
    }

    /**
     * Sends an UPDATE leaving {@code doc} unchanged for each key the subtask owns, checks each is
     * filled with the inserted value, and returns how many keys that were.
     */
    private int updateOwnKeys(
            KeyedOneInputStreamOperatorTestHarness<RowData, RowData, RowData> harness,
            int parallelism,
            int subtask,
            int small)
            throws Exception {
        List<RowData> expected = new ArrayList<>();
        for (int id = 0; id < KEYS; id++) {
            RowData update = in(UPDATE_AFTER, id, null, small + id, flags(N, U, N));
            int owner =
                    KeyGroupRangeAssignment.assignKeyToParallelOperator(
                            keys.getKey(update), MAX_PARALLELISM, parallelism);
            if (owner == subtask) {
                harness.processElement(update, 0);
                expected.add(out(UPDATE_AFTER, id, "big-" + id, small + id));
            }
        }
        assertThat(harness.extractOutputValues()).containsExactlyElementsOf(expected);
        return expected.size();
    }

    private static ToastFillFunction fill() {
        return new ToastFillFunction(LAYOUT, MissingValuePolicy.FAIL, null);
    }
}
