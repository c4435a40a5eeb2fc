package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Fills the values pgoutput leaves out of an UPDATE because they are TOASTed and unchanged, from
 * the values the key's earlier rows carried; emits the output fields of each row.
 *
 * <p>Keyed by the primary key ({@link ToastFillKeySelector}), so every change of a row meets the
 * state its earlier changes wrote, also after a restore or a rescale. State keeps only the values
 * flagged {@link ToastFlags#KEEP} or {@link ToastFlags#UNCHANGED}; the others can never arrive
 * unchanged, so keeping them would only cost state size. A key whose row keeps nothing has no
 * state, and an UPDATE that changes only small fields writes none.
 *
 * <p>INSERT and UPDATE_AFTER rows are filled and written to state; DELETE clears it; UPDATE_BEFORE
 * leaves it as it is. A value state cannot give is handled by the {@link MissingValuePolicy}: never
 * emitted as NULL.
 */
@Internal
public final class ToastFillFunction extends KeyedProcessFunction<RowData, RowData, RowData>
        implements ResultTypeQueryable<RowData> {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ToastFillFunction.class);

    static final String STATE_NAME = "pgwalstream-toast-values";

    private final ToastFillLayout layout;
    private final MissingValuePolicy policy;
    @Nullable private final ToastLookup lookup;
    private final RowType stateType;
    private final RowType outputType;

    private transient RowData.FieldGetter[] getters;
    private transient RowDataSerializer stateSerializer;
    private transient ValueState<RowData> values;
    private transient ToastFillCounters counters;

    /**
     * @param lookup reads missing values under {@link MissingValuePolicy#LOOKUP}; required then,
     *     unused otherwise
     */
    public ToastFillFunction(
            ToastFillLayout layout, MissingValuePolicy policy, @Nullable ToastLookup lookup) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.policy = Objects.requireNonNull(policy, "policy");
        if (policy == MissingValuePolicy.LOOKUP && lookup == null) {
            throw new IllegalArgumentException("MissingValuePolicy.LOOKUP needs a ToastLookup");
        }
        this.lookup = policy == MissingValuePolicy.LOOKUP ? lookup : null;
        this.stateType = leadingFields(layout.inputType(), layout.dataArity());
        this.outputType = leadingFields(layout.inputType(), layout.outputArity());
    }

    private static RowType leadingFields(RowType type, int count) {
        return new RowType(type.isNullable(), type.getFields().subList(0, count));
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        getters = new RowData.FieldGetter[layout.dataArity()];
        for (int i = 0; i < getters.length; i++) {
            getters[i] = RowData.createFieldGetter(stateType.getTypeAt(i), i);
        }
        stateSerializer = new RowDataSerializer(stateType);
        values =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        STATE_NAME, InternalTypeInfo.<RowData>of(stateType)));
        counters = new ToastFillCounters(getRuntimeContext().getMetricGroup());
        if (lookup != null) {
            lookup.open();
        }
        LOG.info(
                "Filling unchanged TOASTed values by key ({}) from state over {} data fields,"
                        + " emitting the first {}; values state does not hold: {}",
                names(layout.keyFields()),
                layout.dataArity(),
                layout.outputArity(),
                policy);
    }

    @Override
    public void close() throws Exception {
        if (lookup != null) {
            lookup.close();
        }
    }

    @Override
    public void processElement(RowData in, Context ctx, Collector<RowData> out) throws Exception {
        byte[] flags = flags(in);
        Object[] row = new Object[layout.dataArity()];
        for (int i = 0; i < row.length; i++) {
            row[i] = getters[i].getFieldOrNull(in);
        }
        RowKind kind = in.getRowKind();
        RowData stored = null;
        if (flags != null && contains(flags, ToastFlags.UNCHANGED)) {
            stored = values.value();
            if (!fill(in, row, flags, stored)) {
                return;
            }
        }
        switch (kind) {
            case INSERT, UPDATE_AFTER -> remember(row, flags, stored);
            case DELETE -> {
                values.clear();
                counters.stateClears.inc();
            }
            case UPDATE_BEFORE -> {}
        }
        GenericRowData output = new GenericRowData(kind, layout.outputArity());
        for (int i = 0; i < layout.outputArity(); i++) {
            output.setField(i, row[i]);
        }
        out.collect(output);
    }

    /** The row's flags, or null when every flag is NOT_KEPT. */
    @Nullable
    private byte[] flags(RowData in) {
        if (in.isNullAt(layout.flagsField())) {
            return null;
        }
        byte[] flags = in.getBinary(layout.flagsField());
        if (flags.length != layout.dataArity()) {
            throw new IllegalArgumentException(
                    "The flags field holds "
                            + flags.length
                            + " flags for the "
                            + layout.dataArity()
                            + " data fields of "
                            + layout.inputType());
        }
        for (byte flag : flags) {
            if (flag < ToastFlags.NOT_KEPT || flag > ToastFlags.UNCHANGED) {
                throw new IllegalArgumentException("Unknown unchanged-TOAST flag " + flag);
            }
        }
        return flags;
    }

    /** Fills the UNCHANGED values of {@code row}; false when the row is not to be emitted. */
    private boolean fill(RowData in, Object[] row, byte[] flags, @Nullable RowData stored)
            throws Exception {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < flags.length; i++) {
            if (flags[i] != ToastFlags.UNCHANGED) {
                continue;
            }
            Object value = stored == null ? null : getters[i].getFieldOrNull(stored);
            if (value == null) {
                missing.add(i);
            } else {
                row[i] = value;
                counters.filledFromState.inc();
            }
        }
        if (missing.isEmpty()) {
            return true;
        }
        int[] fields = missing.stream().mapToInt(Integer::intValue).toArray();
        if (lookup == null) {
            throw UnchangedToastMissingException.of(
                    in.getRowKind(), stateType, layout.keyFields(), row, fields, stored == null);
        }
        ToastLookup.Result result = lookup.lookup(in, fields);
        if (result == null) {
            counters.lookupRowsGone.inc();
            long gone = counters.lookupRowsGone.getCount();
            if ((gone & (gone - 1)) == 0) {
                LOG.warn(
                        "Dropped an {} whose unchanged TOASTed values state did not hold: the"
                                + " lookup found no row with its key any more (its DELETE follows"
                                + " in the stream). {} rows dropped so far, logged at powers of"
                                + " two.",
                        in.getRowKind(),
                        gone);
            }
            return false;
        }
        Object[] found = result.values();
        if (found.length != fields.length) {
            throw new IllegalStateException(
                    "The ToastLookup returned " + found.length + " values for " + names(fields));
        }
        for (int j = 0; j < fields.length; j++) {
            if (found[j] == null) {
                throw new IllegalStateException(
                        "The ToastLookup returned NULL for the unchanged field "
                                + names(new int[] {fields[j]}));
            }
            row[fields[j]] = found[j];
        }
        counters.filledFromLookup.inc(fields.length);
        if (!result.exact()) {
            counters.lookupsNotExact.inc();
        }
        return true;
    }

    /** Writes the kept values of a filled INSERT or UPDATE_AFTER to state. */
    private void remember(Object[] row, @Nullable byte[] flags, @Nullable RowData stored)
            throws Exception {
        if (flags == null
                || !(contains(flags, ToastFlags.KEEP) || contains(flags, ToastFlags.UNCHANGED))) {
            values.clear();
            counters.stateClears.inc();
            return;
        }
        if (stored != null && stateStillHolds(flags, stored)) {
            return;
        }
        GenericRowData next = new GenericRowData(row.length);
        for (int i = 0; i < row.length; i++) {
            if (flags[i] != ToastFlags.NOT_KEPT) {
                next.setField(i, row[i]);
            }
        }
        // A binary copy: compact on the heap, and free of buffers the input may reuse.
        values.update(stateSerializer.toBinaryRow(next).copy());
        counters.stateWrites.inc();
    }

    /**
     * True when the new state would equal {@code stored}: every kept value was unchanged and filled
     * from it, and it holds nothing that is no longer kept. The common UPDATE of small fields next
     * to large ones then rewrites no large value.
     */
    private static boolean stateStillHolds(byte[] flags, RowData stored) {
        for (int i = 0; i < flags.length; i++) {
            boolean same =
                    flags[i] == ToastFlags.UNCHANGED
                            ? !stored.isNullAt(i)
                            : flags[i] == ToastFlags.NOT_KEPT && stored.isNullAt(i);
            if (!same) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] flags, byte flag) {
        for (byte f : flags) {
            if (f == flag) {
                return true;
            }
        }
        return false;
    }

    private List<String> names(int[] fields) {
        return IntStream.of(fields).mapToObj(stateType.getFieldNames()::get).toList();
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return InternalTypeInfo.of(outputType);
    }

    /** The counters, for tests; null before {@code open}. */
    ToastFillCounters counters() {
        return counters;
    }
}
