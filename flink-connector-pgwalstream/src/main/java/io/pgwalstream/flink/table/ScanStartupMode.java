package io.pgwalstream.flink.table;

import io.pgwalstream.flink.source.StartupMode;

import org.apache.flink.annotation.PublicEvolving;

/** Values of {@code scan.startup.mode}; spelled as in Flink CDC's postgres-cdc where they agree. */
@PublicEvolving
public enum ScanStartupMode {
    /** The slot's confirmed position: everything the slot has not yet confirmed. */
    COMMITTED_OFFSET("committed-offset", StartupMode.COMMITTED),
    /** The server's WAL position when the job starts: only changes from then on. */
    LATEST_OFFSET("latest-offset", StartupMode.LATEST),
    /** The LSN in {@code scan.startup.specific-lsn}. */
    SPECIFIC_LSN("specific-lsn", StartupMode.SPECIFIC_LSN),
    /** The rows the tables hold (an initial snapshot), then the changes committed after it. */
    INITIAL("initial", StartupMode.INITIAL),
    /** Only the rows the tables hold: a bounded read that ends after the snapshot. */
    SNAPSHOT("snapshot", StartupMode.SNAPSHOT);

    private final String value;
    private final StartupMode sourceMode;

    ScanStartupMode(String value, StartupMode sourceMode) {
        this.value = value;
        this.sourceMode = sourceMode;
    }

    StartupMode sourceMode() {
        return sourceMode;
    }

    /** The option value; Flink parses enum options by their {@code toString()}. */
    @Override
    public String toString() {
        return value;
    }
}
