package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.table.data.RowData;

import javax.annotation.Nullable;

/**
 * Fills the unchanged TOASTed values pgoutput leaves out of UPDATEs, for DataStream jobs that read
 * rows with {@code types.unchanged-toast = FILL}: a keyed operator remembers each row's large
 * values and puts them back into the UPDATEs that did not send them.
 *
 * <p>The operator keeps state per primary key, so give it a stable uid ({@code
 * apply(...).uid("...")}) to restore it after a change of the job. Start the job with the initial
 * snapshot, so that state knows every row; the {@link MissingValuePolicy} decides about values of
 * rows the job has never seen.
 */
@PublicEvolving
public final class UnchangedToastFill {

    /** The operator's name in the job graph. */
    public static final String OPERATOR_NAME = "pg-walstream unchanged-TOAST fill";

    private UnchangedToastFill() {}

    /**
     * @param deserialized the rows of a deserializer in FILL mode, laid out as {@code layout} says
     * @param lookup reads missing values under {@link MissingValuePolicy#LOOKUP}; required then
     * @return the output fields of each row, every unchanged value filled
     */
    public static SingleOutputStreamOperator<RowData> apply(
            DataStream<RowData> deserialized,
            ToastFillLayout layout,
            MissingValuePolicy policy,
            @Nullable ToastLookup lookup) {
        ToastFillKeySelector keys = new ToastFillKeySelector(layout);
        ToastFillFunction fill = new ToastFillFunction(layout, policy, lookup);
        return deserialized
                .keyBy(keys, keys.getProducedType())
                .process(fill, fill.getProducedType())
                .name(OPERATOR_NAME);
    }
}
