package io.pgwalstream.flink.rowdata;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Table options that choose what {@link RowDataChangelogDeserializer} does with changes that have
 * no row to emit: a TRUNCATE, and a declared column the table no longer has.
 */
@PublicEvolving
public final class ChangelogOptions {

    private ChangelogOptions() {}

    public static final ConfigOption<TruncateMode> TRUNCATE_MODE =
            ConfigOptions.key("truncate.mode")
                    .enumType(TruncateMode.class)
                    .defaultValue(TruncateMode.FAIL)
                    .withDescription(
                            "What a TRUNCATE does: fail the job, or skip it with a counted"
                                    + " warning.");

    public static final ConfigOption<DroppedColumnMode> DROPPED_COLUMN_MODE =
            ConfigOptions.key("schema-drift.dropped-column")
                    .enumType(DroppedColumnMode.class)
                    .defaultValue(DroppedColumnMode.FAIL)
                    .withDescription(
                            "A declared column missing from the PostgreSQL table mid-stream: fail,"
                                    + " or emit null.");
}
