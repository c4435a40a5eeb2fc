package io.pgwalstream.flink.rowdata;

import org.apache.flink.annotation.PublicEvolving;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts the values that a policy replaced instead of failing (NULL or clamped), and logs them
 * rate-limited: the 1st, 2nd, 4th, 8th, … occurrence of each kind. The counts can be exposed as
 * metrics; they may be read from any thread.
 */
@PublicEvolving
public final class ConversionWarnings {

    private static final Logger LOG = LoggerFactory.getLogger(ConversionWarnings.class);

    /** What happened to a value. */
    public enum Kind {
        NUMERIC_SPECIAL_VALUE_NULLED,
        NUMERIC_OVERFLOW_NULLED,
        TEMPORAL_SPECIAL_VALUE_NULLED,
        TEMPORAL_SPECIAL_VALUE_CLAMPED,
        UNCHANGED_TOAST_NULLED,
        /** An unchanged TOASTed value emitted as the configured placeholder. */
        UNCHANGED_TOAST_PLACEHOLDER,
        /** Not a warning: an unchanged TOASTed value was taken from the fallback tuple. */
        UNCHANGED_TOAST_FROM_FALLBACK
    }

    private final AtomicLongArray counts = new AtomicLongArray(Kind.values().length);

    /** How often {@code kind} happened. */
    public long count(Kind kind) {
        return counts.get(kind.ordinal());
    }

    /** Counts one occurrence without logging. */
    void record(Kind kind) {
        counts.incrementAndGet(kind.ordinal());
    }

    /** Counts one occurrence and logs it if its count is a power of two. */
    void warn(Kind kind, String column, String pgType, String problem, String optionKey) {
        long n = counts.incrementAndGet(kind.ordinal());
        if ((n & (n - 1)) == 0) {
            LOG.warn(
                    "{} (column \"{}\", {}; occurrence {}, logged at powers of two; option '{}')",
                    problem,
                    column,
                    pgType,
                    n,
                    optionKey);
        }
    }
}
