package io.pgwalstream.flink.table;

import org.apache.flink.annotation.PublicEvolving;

/** Values of {@code scan.bounded.mode}: whether and where the table stops. */
@PublicEvolving
public enum ScanBoundedMode {
    /** A continuous stream (default). */
    UNBOUNDED("unbounded"),
    /** Stop at the server's WAL position when the job starts. */
    LATEST_OFFSET("latest-offset"),
    /** Stop at the LSN in {@code scan.bounded.specific-lsn}. */
    SPECIFIC_LSN("specific-lsn");

    private final String value;

    ScanBoundedMode(String value) {
        this.value = value;
    }

    @Override
    public String toString() {
        return value;
    }
}
