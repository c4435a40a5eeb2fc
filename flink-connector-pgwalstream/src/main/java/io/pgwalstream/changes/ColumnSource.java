package io.pgwalstream.changes;

/**
 * Where the value of an after-row column comes from; see {@link
 * ChangeEvent#afterColumnSource(int)}.
 */
public enum ColumnSource {
    /** The after row holds the value (text, binary or NULL). */
    AFTER,
    /**
     * The after row marks the column as an unchanged TOASTed value, and the before row is a full
     * old row (REPLICA IDENTITY FULL, which logs TOASTed values inline) holding it: take the column
     * from {@link ChangeEvent#before()}.
     */
    BEFORE,
    /**
     * The after row marks the column as an unchanged TOASTed value and nothing in the event holds
     * it. The value is neither NULL nor absent; the converter must apply its policy (fail, keep a
     * marker, or NULL with a warning) — never a silent NULL.
     */
    UNCHANGED_TOAST
}
