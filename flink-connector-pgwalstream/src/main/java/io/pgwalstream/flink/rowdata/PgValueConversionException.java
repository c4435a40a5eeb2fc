package io.pgwalstream.flink.rowdata;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

/**
 * A column value that cannot be converted to its Flink type. The message names the column, the
 * PostgreSQL type, a preview of the value (at most {@value ValuePreview#MAX_BYTES} bytes; binary
 * values in hex) and, when an option changes the behaviour, that option's key.
 */
@PublicEvolving
public class PgValueConversionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String column;
    private final String pgType;
    private final String valuePreview;
    @Nullable private final String optionKey;

    public PgValueConversionException(
            String column,
            String pgType,
            String valuePreview,
            String problem,
            @Nullable String optionKey,
            @Nullable Throwable cause) {
        super(message(column, pgType, valuePreview, problem, optionKey), cause);
        this.column = column;
        this.pgType = pgType;
        this.valuePreview = valuePreview;
        this.optionKey = optionKey;
    }

    private static String message(
            String column,
            String pgType,
            String valuePreview,
            String problem,
            @Nullable String optionKey) {
        StringBuilder sb =
                new StringBuilder("Cannot convert column \"")
                        .append(column)
                        .append("\" of PostgreSQL type ")
                        .append(pgType)
                        .append(", value ")
                        .append(valuePreview)
                        .append(": ")
                        .append(problem);
        if (optionKey != null) {
            sb.append(" (option '").append(optionKey).append("' changes this behaviour)");
        }
        return sb.toString();
    }

    /** The column's name in the Relation message. */
    public String column() {
        return column;
    }

    /** The column's PostgreSQL type as displayed, e.g. {@code numeric(10,2)}. */
    public String pgType() {
        return pgType;
    }

    /** The value as shown in the message (truncated). */
    public String valuePreview() {
        return valuePreview;
    }

    /** The key of the option that changes what happens, or null. */
    @Nullable
    public String optionKey() {
        return optionKey;
    }
}
