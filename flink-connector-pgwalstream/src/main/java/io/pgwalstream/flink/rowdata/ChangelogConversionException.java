package io.pgwalstream.flink.rowdata;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A change that cannot become changelog rows as the table is declared: a TRUNCATE under {@code
 * truncate.mode = fail}, a declared column the table no longer has, a REPLICA IDENTITY changed
 * while the job runs. The message says what happened, where, and what to change.
 */
@PublicEvolving
public final class ChangelogConversionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ChangelogConversionException(String message) {
        super(message);
    }
}
