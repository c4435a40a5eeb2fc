package io.pgwalstream.flink.source;

import org.apache.flink.annotation.PublicEvolving;

/** Where a slot group starts reading when the job starts without state. */
@PublicEvolving
public enum StartupMode {
    /** The slot's confirmed position: everything not yet confirmed (the default). */
    COMMITTED,
    /** A given LSN; the server never starts before the slot's confirmed position. */
    SPECIFIC_LSN,
    /** The server's current WAL position when the job starts: only new changes. */
    LATEST,
    /**
     * The rows the tables hold first (an initial snapshot, read in parallel), then every change
     * committed after that snapshot.
     */
    INITIAL,
    /** Only the rows the tables hold (an initial snapshot); then the source finishes. */
    SNAPSHOT;

    /** Whether the tables are read with an initial snapshot. */
    public boolean snapshots() {
        return this == INITIAL || this == SNAPSHOT;
    }
}
