package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.annotation.PublicEvolving;

/**
 * The per-field flags of a row for the fill operator ({@link ToastFillLayout}): one byte per data
 * field.
 */
@PublicEvolving
public final class ToastFlags {

    /**
     * The value can never be stored out of line (a fixed-size type, NULL, or too small): it cannot
     * arrive unchanged later, so state need not keep it.
     */
    public static final byte NOT_KEPT = 0;

    /** The value may be stored out of line: a later UPDATE may leave it out, so state keeps it. */
    public static final byte KEEP = 1;

    /**
     * The UPDATE left the value out (pgoutput's {@code 'u'}): the field is NULL in the row and the
     * operator fills it from state, which keeps it on.
     */
    public static final byte UNCHANGED = 2;

    private ToastFlags() {}
}
