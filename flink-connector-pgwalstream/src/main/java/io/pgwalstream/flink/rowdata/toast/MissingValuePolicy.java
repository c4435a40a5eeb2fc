package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.annotation.PublicEvolving;

/**
 * What the fill operator does with an unchanged TOASTed value its state does not hold: the job
 * started without the initial snapshot, so it meets UPDATEs of rows it has never seen.
 */
@PublicEvolving
public enum MissingValuePolicy {
    /** Fail the job with an {@link UnchangedToastMissingException} that names the fix. */
    FAIL,
    /** Read the value from PostgreSQL by key through a {@link ToastLookup}. */
    LOOKUP
}
