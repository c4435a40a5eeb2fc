package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.data.RowData;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * Reads values the fill operator's state does not hold (the job started without a snapshot, or
 * state was lost) from PostgreSQL by key. One instance per operator subtask; not thread-safe.
 */
@PublicEvolving
public interface ToastLookup extends Serializable {

    /** Called once in the operator's {@code open}. */
    void open() throws Exception;

    /**
     * The table's current values of {@code fields} for the row {@code input} identifies by its key.
     *
     * @param input an input row ({@link ToastFillLayout}): its key fields name the row, its xid
     *     field the change being filled
     * @param fields the input positions whose values are wanted
     * @return the values, or null if the table has no row with that key any more
     */
    @Nullable
    Result lookup(RowData input, int[] fields) throws Exception;

    /** Called once when the operator closes. */
    void close() throws Exception;

    /**
     * @param values one value per asked field, in the order asked, as Flink internal data
     * @param exact true when the row version read is the one the change's transaction wrote (no
     *     later transaction changed the row since), so the values are those at the change's commit
     */
    record Result(Object[] values, boolean exact) {}
}
