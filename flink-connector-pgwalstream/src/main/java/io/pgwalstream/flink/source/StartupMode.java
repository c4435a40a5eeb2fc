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
    LATEST
}
