package io.pgwalstream.flink.rowdata;

import org.apache.flink.configuration.ConfigOption;

import javax.annotation.Nullable;

/**
 * What a converter knows about the column it converts, for error messages and policies. One per
 * column; shared by the converters of an array's elements.
 */
final class ColumnContext {

    final String column;
    final String pgType;
    final ConversionPolicies policies;
    final ConversionWarnings warnings;

    ColumnContext(
            String column,
            String pgType,
            ConversionPolicies policies,
            ConversionWarnings warnings) {
        this.column = column;
        this.pgType = pgType;
        this.policies = policies;
        this.warnings = warnings;
    }

    /** The exception for a value that cannot be converted. */
    PgValueConversionException fail(
            String problem,
            byte[] b,
            int off,
            int len,
            boolean binary,
            @Nullable ConfigOption<?> option,
            @Nullable Throwable cause) {
        return new PgValueConversionException(
                column,
                pgType,
                ValuePreview.of(b, off, len, binary),
                problem,
                option == null ? null : option.key(),
                cause);
    }

    PgValueConversionException fail(String problem, byte[] b, int off, int len, boolean binary) {
        return fail(problem, b, off, len, binary, null, null);
    }

    /** Wraps a parsing error ({@link IllegalArgumentException}, bounds) for this value. */
    PgValueConversionException malformed(
            RuntimeException e, byte[] b, int off, int len, boolean binary) {
        if (e instanceof PgValueConversionException) {
            return (PgValueConversionException) e;
        }
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return fail(
                (binary ? "malformed binary value: " : "malformed text value: ") + what,
                b,
                off,
                len,
                binary,
                null,
                e);
    }

    void warn(ConversionWarnings.Kind kind, String problem, ConfigOption<?> option) {
        warnings.warn(kind, column, pgType, problem, option.key());
    }
}
