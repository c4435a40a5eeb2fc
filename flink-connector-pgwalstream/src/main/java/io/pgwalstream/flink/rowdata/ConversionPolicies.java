package io.pgwalstream.flink.rowdata;

import io.pgwalstream.flink.rowdata.PgConversionOptions.MultiDimensionalArrays;
import io.pgwalstream.flink.rowdata.PgConversionOptions.NumericOverflow;
import io.pgwalstream.flink.rowdata.PgConversionOptions.NumericSpecialValues;
import io.pgwalstream.flink.rowdata.PgConversionOptions.OversizedNumeric;
import io.pgwalstream.flink.rowdata.PgConversionOptions.TemporalSpecialValues;
import io.pgwalstream.flink.rowdata.PgConversionOptions.UnchangedToast;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ReadableConfig;

import java.io.Serializable;
import java.util.Objects;

/**
 * The chosen value of every {@link PgConversionOptions} option. Serializable: it travels with a
 * deserializer to the TaskManagers.
 *
 * @param numericSpecialValues numeric NaN/±Infinity in DECIMAL columns
 * @param temporalSpecialValues date/timestamp ±infinity and time 24:00:00
 * @param multiDimensionalArrays arrays with more than one dimension
 * @param oversizedNumeric type mapping of unconstrained numeric and numeric(p > 38)
 * @param numericOverflow values that do not fit their DECIMAL column
 * @param unchangedToast unchanged TOASTed values without a fallback
 * @param unchangedToastPlaceholder what {@link UnchangedToast#PLACEHOLDER} emits
 * @param shareMessageBuffer whether STRING values point into the message bytes
 */
@PublicEvolving
public record ConversionPolicies(
        NumericSpecialValues numericSpecialValues,
        TemporalSpecialValues temporalSpecialValues,
        MultiDimensionalArrays multiDimensionalArrays,
        OversizedNumeric oversizedNumeric,
        NumericOverflow numericOverflow,
        UnchangedToast unchangedToast,
        String unchangedToastPlaceholder,
        boolean shareMessageBuffer)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public ConversionPolicies {
        Objects.requireNonNull(numericSpecialValues, "numericSpecialValues");
        Objects.requireNonNull(temporalSpecialValues, "temporalSpecialValues");
        Objects.requireNonNull(multiDimensionalArrays, "multiDimensionalArrays");
        Objects.requireNonNull(oversizedNumeric, "oversizedNumeric");
        Objects.requireNonNull(numericOverflow, "numericOverflow");
        Objects.requireNonNull(unchangedToast, "unchangedToast");
        Objects.requireNonNull(unchangedToastPlaceholder, "unchangedToastPlaceholder");
    }

    /** Every option at its default. */
    public static ConversionPolicies defaults() {
        return new ConversionPolicies(
                PgConversionOptions.NUMERIC_SPECIAL_VALUES.defaultValue(),
                PgConversionOptions.TEMPORAL_SPECIAL_VALUES.defaultValue(),
                PgConversionOptions.MULTI_DIMENSIONAL_ARRAYS.defaultValue(),
                PgConversionOptions.OVERSIZED_NUMERIC.defaultValue(),
                PgConversionOptions.NUMERIC_OVERFLOW.defaultValue(),
                UnchangedToast.FAIL,
                PgConversionOptions.UNCHANGED_TOAST_PLACEHOLDER.defaultValue(),
                PgConversionOptions.SHARE_MESSAGE_BUFFER.defaultValue());
    }

    /** Reads every option from table options. */
    public static ConversionPolicies fromConfig(ReadableConfig config) {
        return new ConversionPolicies(
                config.get(PgConversionOptions.NUMERIC_SPECIAL_VALUES),
                config.get(PgConversionOptions.TEMPORAL_SPECIAL_VALUES),
                config.get(PgConversionOptions.MULTI_DIMENSIONAL_ARRAYS),
                config.get(PgConversionOptions.OVERSIZED_NUMERIC),
                config.get(PgConversionOptions.NUMERIC_OVERFLOW),
                // Unset, it depends on the changelog mode; planning decides it for SQL tables.
                config.getOptional(PgConversionOptions.UNCHANGED_TOAST).orElse(UnchangedToast.FAIL),
                config.get(PgConversionOptions.UNCHANGED_TOAST_PLACEHOLDER),
                config.get(PgConversionOptions.SHARE_MESSAGE_BUFFER));
    }

    public ConversionPolicies withNumericSpecialValues(NumericSpecialValues value) {
        return new ConversionPolicies(
                value,
                temporalSpecialValues,
                multiDimensionalArrays,
                oversizedNumeric,
                numericOverflow,
                unchangedToast,
                unchangedToastPlaceholder,
                shareMessageBuffer);
    }

    public ConversionPolicies withTemporalSpecialValues(TemporalSpecialValues value) {
        return new ConversionPolicies(
                numericSpecialValues,
                value,
                multiDimensionalArrays,
                oversizedNumeric,
                numericOverflow,
                unchangedToast,
                unchangedToastPlaceholder,
                shareMessageBuffer);
    }

    public ConversionPolicies withMultiDimensionalArrays(MultiDimensionalArrays value) {
        return new ConversionPolicies(
                numericSpecialValues,
                temporalSpecialValues,
                value,
                oversizedNumeric,
                numericOverflow,
                unchangedToast,
                unchangedToastPlaceholder,
                shareMessageBuffer);
    }

    public ConversionPolicies withOversizedNumeric(OversizedNumeric value) {
        return new ConversionPolicies(
                numericSpecialValues,
                temporalSpecialValues,
                multiDimensionalArrays,
                value,
                numericOverflow,
                unchangedToast,
                unchangedToastPlaceholder,
                shareMessageBuffer);
    }

    public ConversionPolicies withNumericOverflow(NumericOverflow value) {
        return new ConversionPolicies(
                numericSpecialValues,
                temporalSpecialValues,
                multiDimensionalArrays,
                oversizedNumeric,
                value,
                unchangedToast,
                unchangedToastPlaceholder,
                shareMessageBuffer);
    }

    public ConversionPolicies withUnchangedToast(UnchangedToast value) {
        return new ConversionPolicies(
                numericSpecialValues,
                temporalSpecialValues,
                multiDimensionalArrays,
                oversizedNumeric,
                numericOverflow,
                value,
                unchangedToastPlaceholder,
                shareMessageBuffer);
    }

    public ConversionPolicies withUnchangedToastPlaceholder(String value) {
        return new ConversionPolicies(
                numericSpecialValues,
                temporalSpecialValues,
                multiDimensionalArrays,
                oversizedNumeric,
                numericOverflow,
                unchangedToast,
                value,
                shareMessageBuffer);
    }

    public ConversionPolicies withShareMessageBuffer(boolean value) {
        return new ConversionPolicies(
                numericSpecialValues,
                temporalSpecialValues,
                multiDimensionalArrays,
                oversizedNumeric,
                numericOverflow,
                unchangedToast,
                unchangedToastPlaceholder,
                value);
    }
}
