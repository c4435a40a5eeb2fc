package io.pgwalstream.flink.rowdata;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Values of {@code schema-drift.dropped-column}: what happens when a column declared in the Flink
 * table is no longer in the PostgreSQL table (dropped or renamed while the job runs).
 */
@PublicEvolving
public enum DroppedColumnMode {
    /** Fail the job with an error naming the column (default). */
    FAIL("fail"),
    /** Emit NULL for the missing column (the column must be nullable). */
    NULL("null");

    private final String value;

    DroppedColumnMode(String value) {
        this.value = value;
    }

    @Override
    public String toString() {
        return value;
    }
}
