package io.pgwalstream.flink.table;

import io.pgwalstream.flink.rowdata.PgConversionOptions;
import io.pgwalstream.flink.rowdata.PgConversionOptions.UnchangedToast;
import io.pgwalstream.flink.rowdata.toast.MissingValuePolicy;
import io.pgwalstream.flink.rowdata.toast.ToastFillOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ReadableConfig;

import javax.annotation.Nullable;

/**
 * The unchanged-TOAST options as the user wrote them, null where not set: the SQL defaults depend
 * on what planning finds (the changelog mode, the tables and the key), so {@link
 * ToastPlanningCheck} decides them.
 *
 * @param policy {@code types.unchanged-toast}
 * @param missing {@code types.unchanged-toast.missing}
 */
@Internal
record UnchangedToastOptions(
        @Nullable UnchangedToast policy, @Nullable MissingValuePolicy missing) {

    static UnchangedToastOptions from(ReadableConfig options) {
        return new UnchangedToastOptions(
                options.getOptional(PgConversionOptions.UNCHANGED_TOAST).orElse(null),
                options.getOptional(ToastFillOptions.MISSING).orElse(null));
    }
}
