package io.pgwalstream.flink.table;

import io.pgwalstream.flink.rowdata.PgConversionOptions.UnchangedToast;
import io.pgwalstream.flink.rowdata.ResolvedChangelogMode;
import io.pgwalstream.flink.rowdata.toast.MissingValuePolicy;
import io.pgwalstream.flink.rowdata.toast.PgToastLookup;
import io.pgwalstream.flink.rowdata.toast.ToastFillLayout;
import io.pgwalstream.flink.rowdata.toast.UnchangedToastFill;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.types.PgTypeRegistry;

import org.apache.flink.annotation.Internal;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.utils.TypeConversions;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * The unchanged-TOAST fill of one scan ({@code types.unchanged-toast = FILL}, the default of upsert
 * tables): the deserializer's rows with two hidden fields, keyed by the primary key into the fill
 * operator, which emits the declared rows.
 */
@Internal
final class ToastFill {

    private final ToastFillLayout layout;
    private final MissingValuePolicy missing;
    @Nullable private final PgToastLookup lookup;

    private ToastFill(
            ToastFillLayout layout, MissingValuePolicy missing, @Nullable PgToastLookup lookup) {
        this.layout = layout;
        this.missing = missing;
        this.lookup = lookup;
    }

    /**
     * The fill of a scan producing {@code output}, or null if it needs none (not FILL, not upsert,
     * or no read column can arrive unchanged).
     *
     * @param physicalArity how many of the output fields are table columns (metadata follows)
     * @param primaryKey the Flink table's primary key, which planning matched to the identity
     */
    @Nullable
    static ToastFill plan(
            PgWalStreamTableConfig config,
            PlannedTables planned,
            RowType output,
            int physicalArity,
            List<String> primaryKey) {
        UnchangedToastChoice toast = planned.toast();
        if (planned.mode() != ResolvedChangelogMode.UPSERT
                || toast.policy() != UnchangedToast.FILL) {
            return null;
        }
        List<String> names = output.getFieldNames();
        PgTypeRegistry registry = new PgTypeRegistry();
        planned.userTypes().forEach(registry::register);
        if (!ToastPlanningCheck.anyCanArriveUnchanged(
                planned.tables(), names.subList(0, physicalArity), registry)) {
            return null;
        }
        int[] keyFields = primaryKey.stream().mapToInt(names::indexOf).toArray();
        ToastFillLayout layout = ToastFillLayout.appendingHiddenFields(output, keyFields);
        PgToastLookup lookup = null;
        if (toast.missing() == MissingValuePolicy.LOOKUP) {
            // ToastPlanningCheck made sure there is exactly one table and its key can be sent.
            PgTableFacts table = planned.tables().get(0);
            List<RelationColumn> columns = new ArrayList<>();
            for (int i = 0; i < layout.dataArity(); i++) {
                columns.add(i < physicalArity ? table.column(names.get(i)).orElse(null) : null);
            }
            lookup =
                    new PgToastLookup(
                            config.connection(),
                            table.name(),
                            layout,
                            columns,
                            planned.userTypes(),
                            config.conversion());
        }
        return new ToastFill(layout, toast.missing(), lookup);
    }

    /** What the deserializer produces: the output row and the hidden fields. */
    DataType deserializedType() {
        return TypeConversions.fromLogicalToDataType(layout.inputType());
    }

    SingleOutputStreamOperator<RowData> apply(DataStream<RowData> deserialized) {
        return UnchangedToastFill.apply(deserialized, layout, missing, lookup);
    }
}
