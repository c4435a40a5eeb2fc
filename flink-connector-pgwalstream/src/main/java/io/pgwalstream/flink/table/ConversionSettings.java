package io.pgwalstream.flink.table;

import io.pgwalstream.flink.table.data.ConversionPolicies;
import io.pgwalstream.flink.table.data.PgConversionOptions.MultiDimensionalArrays;
import io.pgwalstream.flink.table.data.PgConversionOptions.NumericOverflow;
import io.pgwalstream.flink.table.data.PgConversionOptions.NumericSpecialValues;
import io.pgwalstream.flink.table.data.PgConversionOptions.OversizedNumeric;
import io.pgwalstream.flink.table.data.PgConversionOptions.TemporalSpecialValues;
import io.pgwalstream.flink.table.data.PgConversionOptions.UnchangedToast;

import java.io.Serializable;

/** {@link ConversionPolicies} in a form that travels with the deserializer to the TaskManagers. */
record ConversionSettings(
        NumericSpecialValues numericSpecialValues,
        TemporalSpecialValues temporalSpecialValues,
        MultiDimensionalArrays multiDimensionalArrays,
        OversizedNumeric oversizedNumeric,
        NumericOverflow numericOverflow,
        UnchangedToast unchangedToast,
        boolean shareMessageBuffer)
        implements Serializable {

    static ConversionSettings of(ConversionPolicies p) {
        return new ConversionSettings(
                p.numericSpecialValues(),
                p.temporalSpecialValues(),
                p.multiDimensionalArrays(),
                p.oversizedNumeric(),
                p.numericOverflow(),
                p.unchangedToast(),
                p.shareMessageBuffer());
    }

    ConversionPolicies toPolicies() {
        return new ConversionPolicies(
                numericSpecialValues,
                temporalSpecialValues,
                multiDimensionalArrays,
                oversizedNumeric,
                numericOverflow,
                unchangedToast,
                shareMessageBuffer);
    }
}
