package io.pgwalstream.flink.rowdata;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Table options that choose how PostgreSQL values without an exact Flink counterpart are converted.
 * Every option has a safe default: a value that cannot be represented fails the job with a {@link
 * PgValueConversionException} naming the option, unless the user chose otherwise. {@link
 * ConversionPolicies#fromConfig} reads them.
 */
@PublicEvolving
public final class PgConversionOptions {

    private PgConversionOptions() {}

    /** What to do with {@code numeric} NaN, Infinity and -Infinity in a DECIMAL column. */
    public enum NumericSpecialValues {
        /** Fail the job (default): DECIMAL has no NaN or infinity. */
        FAIL,
        /** Emit NULL, count it and log a rate-limited warning. */
        NULL_WITH_WARNING
    }

    /**
     * What to do with date/timestamp {@code infinity} and {@code -infinity}, and with the time
     * {@code 24:00:00}, none of which Flink's DATE, TIME and TIMESTAMP types can hold.
     */
    public enum TemporalSpecialValues {
        /** Fail the job (default). */
        FAIL,
        /** Emit NULL, count it and log a rate-limited warning. */
        NULL_WITH_WARNING,
        /**
         * Emit the bound of Flink's range: {@code 9999-12-31 23:59:59.999999999} (truncated to the
         * column's precision) for {@code infinity}, {@code 0000-01-01 00:00:00} for {@code
         * -infinity}, {@code 23:59:59.999} for {@code 24:00:00}; counted like a warning.
         */
        CLAMP
    }

    /** How a multi-dimensional array value is converted. */
    public enum MultiDimensionalArrays {
        /**
         * Nested arrays (default): an n-dimensional value becomes ARRAY nested n levels, which the
         * column's declared type must match; a mismatch fails with an error naming the declared and
         * the actual dimensions. PostgreSQL does not record the dimensions of array columns, so the
         * derived type is always one level: declare {@code ARRAY<ARRAY<INT>>} for a 2-D column.
         */
        NESTED,
        /** Fail on any value with more than one dimension. */
        FAIL
    }

    /**
     * Type mapping of {@code numeric} without a precision, or with a precision above Flink's
     * maximum of 38.
     */
    public enum OversizedNumeric {
        /** STRING holding PostgreSQL's exact text form (default; never loses digits). */
        STRING,
        /** DECIMAL(38, 18); values that do not fit follow {@code types.numeric.overflow}. */
        DECIMAL_38_18,
        /** Refuse to map the column: the user must declare its type explicitly. */
        FAIL
    }

    /** What to do with a numeric value that needs more digits than its DECIMAL column has. */
    public enum NumericOverflow {
        /** Fail the job (default). */
        FAIL,
        /** Emit NULL, count it and log a rate-limited warning. */
        NULL_WITH_WARNING
    }

    /**
     * What to do with an unchanged TOASTed value ({@code 'u'}) that no fallback tuple (such as a
     * REPLICA IDENTITY FULL old row) can fill in.
     */
    public enum UnchangedToast {
        /**
         * Fail the job (the default of the DataStream API and of SQL tables read with all row
         * kinds): emitting NULL would silently lose the value.
         */
        FAIL,
        /** Emit NULL, count it and log a rate-limited warning. */
        NULL_WITH_WARNING,
        /**
         * Emit {@link #UNCHANGED_TOAST_PLACEHOLDER} (text, or its UTF-8 bytes for BYTES) and count
         * it: the row keeps saying "unchanged" and a sink can leave its stored value alone. Only
         * STRING and BYTES columns can carry it; others fail.
         */
        PLACEHOLDER,
        /**
         * Fill in the true value: the SQL source keys the rows by the primary key and keeps the
         * last value of every column that can arrive unchanged in Flink state (see {@code
         * docs/toast.md}); {@code types.unchanged-toast.missing} says what happens when state does
         * not hold it. The default of SQL upsert tables.
         */
        FILL
    }

    public static final ConfigOption<NumericSpecialValues> NUMERIC_SPECIAL_VALUES =
            ConfigOptions.key("types.numeric.special-values")
                    .enumType(NumericSpecialValues.class)
                    .defaultValue(NumericSpecialValues.FAIL)
                    .withDescription(
                            "What to do with numeric NaN/Infinity/-Infinity in a DECIMAL column:"
                                    + " FAIL or NULL_WITH_WARNING.");

    public static final ConfigOption<TemporalSpecialValues> TEMPORAL_SPECIAL_VALUES =
            ConfigOptions.key("types.temporal.special-values")
                    .enumType(TemporalSpecialValues.class)
                    .defaultValue(TemporalSpecialValues.FAIL)
                    .withDescription(
                            "What to do with date/timestamp infinity and -infinity and the time"
                                    + " 24:00:00: FAIL, NULL_WITH_WARNING or CLAMP (to"
                                    + " 0000-01-01 / 9999-12-31 23:59:59.999999999 /"
                                    + " 23:59:59.999).");

    public static final ConfigOption<MultiDimensionalArrays> MULTI_DIMENSIONAL_ARRAYS =
            ConfigOptions.key("types.array.multi-dimensional")
                    .enumType(MultiDimensionalArrays.class)
                    .defaultValue(MultiDimensionalArrays.NESTED)
                    .withDescription(
                            "NESTED: an n-dimensional array becomes ARRAY nested n levels (the"
                                    + " declared type must match); FAIL: reject arrays with more"
                                    + " than one dimension.");

    public static final ConfigOption<OversizedNumeric> OVERSIZED_NUMERIC =
            ConfigOptions.key("types.numeric.oversized")
                    .enumType(OversizedNumeric.class)
                    .defaultValue(OversizedNumeric.STRING)
                    .withDescription(
                            "Mapping of numeric without precision or with precision above 38:"
                                    + " STRING (exact text), DECIMAL_38_18, or FAIL.");

    public static final ConfigOption<NumericOverflow> NUMERIC_OVERFLOW =
            ConfigOptions.key("types.numeric.overflow")
                    .enumType(NumericOverflow.class)
                    .defaultValue(NumericOverflow.FAIL)
                    .withDescription(
                            "What to do with a numeric value that does not fit its DECIMAL"
                                    + " column: FAIL or NULL_WITH_WARNING.");

    public static final ConfigOption<UnchangedToast> UNCHANGED_TOAST =
            ConfigOptions.key("types.unchanged-toast")
                    .enumType(UnchangedToast.class)
                    .noDefaultValue()
                    .withDescription(
                            "What to do with an unchanged TOASTed value that the old row cannot"
                                    + " fill in (use REPLICA IDENTITY FULL to get it): FAIL,"
                                    + " NULL_WITH_WARNING, PLACEHOLDER (STRING and BYTES"
                                    + " columns get types.unchanged-toast.placeholder), or FILL"
                                    + " (the true value, kept in Flink state by primary key)."
                                    + " Unset: FILL for SQL tables read as upserts, FAIL for"
                                    + " other reads and in the DataStream API.");

    public static final ConfigOption<String> UNCHANGED_TOAST_PLACEHOLDER =
            ConfigOptions.key("types.unchanged-toast.placeholder")
                    .stringType()
                    .defaultValue("__pgwalstream_unchanged_toast__")
                    .withDescription(
                            "The value emitted for an unchanged TOASTed value under"
                                    + " types.unchanged-toast = PLACEHOLDER.");

    public static final ConfigOption<Boolean> SHARE_MESSAGE_BUFFER =
            ConfigOptions.key("types.string.share-message-buffer")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Whether STRING values point into the received message bytes"
                                    + " (zero-copy; the message buffer is never reused) instead"
                                    + " of copying them.");
}
