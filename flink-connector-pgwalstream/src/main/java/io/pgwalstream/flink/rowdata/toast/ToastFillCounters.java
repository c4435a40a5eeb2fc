package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** The fill operator's counters, on its operator metric group. */
final class ToastFillCounters {

    static final String FILLED_FROM_STATE = "toastFilledFromState";
    static final String FILLED_FROM_LOOKUP = "toastFilledFromLookup";
    static final String LOOKUPS_NOT_EXACT = "toastLookupsNotExact";
    static final String LOOKUP_ROWS_GONE = "toastLookupRowsGone";
    static final String STATE_WRITES = "toastStateWrites";
    static final String STATE_CLEARS = "toastStateClears";

    /** Values filled from state. */
    final Counter filledFromState;

    /** Values filled from a lookup. */
    final Counter filledFromLookup;

    /** Lookups that read a later version of the row than the change's. */
    final Counter lookupsNotExact;

    /** Rows not emitted because the lookup found the row deleted. */
    final Counter lookupRowsGone;

    final Counter stateWrites;
    final Counter stateClears;

    ToastFillCounters(MetricGroup group) {
        filledFromState = group.counter(FILLED_FROM_STATE);
        filledFromLookup = group.counter(FILLED_FROM_LOOKUP);
        lookupsNotExact = group.counter(LOOKUPS_NOT_EXACT);
        lookupRowsGone = group.counter(LOOKUP_ROWS_GONE);
        stateWrites = group.counter(STATE_WRITES);
        stateClears = group.counter(STATE_CLEARS);
    }
}
