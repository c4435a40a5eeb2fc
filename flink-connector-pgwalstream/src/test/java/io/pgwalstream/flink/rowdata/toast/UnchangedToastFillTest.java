package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.pgwalstream.flink.rowdata.toast.ToastRows.K;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.LAYOUT;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.N;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.U;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.flags;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.in;
import static io.pgwalstream.flink.rowdata.toast.ToastRows.out;
import static org.apache.flink.types.RowKind.INSERT;
import static org.apache.flink.types.RowKind.UPDATE_AFTER;
import static org.assertj.core.api.Assertions.assertThat;

/** The building block in a job: keyed across two subtasks, every UPDATE filled. */
class UnchangedToastFillTest {

    private static final int KEYS = 20;

    @Test
    void aJobFillsEveryUnchangedValue() throws Exception {
        List<RowData> input = new ArrayList<>();
        List<RowData> expected = new ArrayList<>();
        for (int id = 0; id < KEYS; id++) {
            input.add(in(INSERT, id, "big-" + id, id, flags(N, K, N)));
            expected.add(out(INSERT, id, "big-" + id, id));
        }
        for (int id = 0; id < KEYS; id++) {
            input.add(in(UPDATE_AFTER, id, null, -id, flags(N, U, N)));
            expected.add(out(UPDATE_AFTER, id, "big-" + id, -id));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<RowData> rows =
                env.fromData(InternalTypeInfo.of(ToastRows.INPUT), input.toArray(RowData[]::new));

        SingleOutputStreamOperator<RowData> filled =
                UnchangedToastFill.apply(rows, LAYOUT, MissingValuePolicy.FAIL, null)
                        .uid("toast-fill");

        assertThat(filled.getName()).isEqualTo(UnchangedToastFill.OPERATOR_NAME);
        assertThat(((InternalTypeInfo<RowData>) filled.getType()).toRowType().getFieldNames())
                .containsExactly("id", "doc", "small");
        List<RowData> output = new ArrayList<>();
        try (CloseableIterator<RowData> results = filled.executeAndCollect()) {
            results.forEachRemaining(row -> output.add(ToastRows.generic(row)));
        }
        assertThat(output).containsExactlyInAnyOrderElementsOf(expected);
    }
}
