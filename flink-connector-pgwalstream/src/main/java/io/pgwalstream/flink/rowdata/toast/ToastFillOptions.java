package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Table options of the unchanged-TOAST fill ({@code types.unchanged-toast = FILL}). */
@PublicEvolving
public final class ToastFillOptions {

    private ToastFillOptions() {}

    public static final ConfigOption<MissingValuePolicy> MISSING =
            ConfigOptions.key("types.unchanged-toast.missing")
                    .enumType(MissingValuePolicy.class)
                    .noDefaultValue()
                    .withDescription(
                            "Under types.unchanged-toast = FILL, what to do with an unchanged value"
                                    + " Flink state does not hold (the job started without a"
                                    + " snapshot, or the row's key changed): LOOKUP reads it from"
                                    + " the table by key, FAIL fails the job. Unset, LOOKUP"
                                    + " where a lookup can work (a table of one PostgreSQL table"
                                    + " whose key can be sent), FAIL elsewhere.");
}
