package io.pgwalstream.flink.rowdata;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Values of {@code truncate.mode}. A changelog row cannot express TRUNCATE: the removed rows are
 * not in the WAL, so they cannot be turned into deletes.
 */
@PublicEvolving
public enum TruncateMode {
    /** Fail the job (default), so a downstream copy never silently keeps truncated rows. */
    FAIL("fail"),
    /** Drop the TRUNCATE, count it and log a rate-limited warning. */
    SKIP("skip");

    private final String value;

    TruncateMode(String value) {
        this.value = value;
    }

    @Override
    public String toString() {
        return value;
    }
}
