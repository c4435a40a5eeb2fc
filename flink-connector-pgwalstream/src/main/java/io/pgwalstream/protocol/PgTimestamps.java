package io.pgwalstream.protocol;

import java.time.Clock;
import java.time.Instant;

/**
 * Conversions for PostgreSQL's {@code TimestampTz} as sent on the wire: signed microseconds since
 * 2000-01-01 00:00:00 UTC. {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE} are PostgreSQL's
 * {@code -infinity} and {@code infinity}; they map to {@link Instant#MIN} and {@link Instant#MAX}.
 */
public final class PgTimestamps {

    /** Seconds from the Unix epoch to the PostgreSQL epoch. */
    public static final long PG_EPOCH_UNIX_SECONDS = 946_684_800L;

    /** Microseconds from the Unix epoch to the PostgreSQL epoch. */
    public static final long PG_EPOCH_UNIX_MICROS = PG_EPOCH_UNIX_SECONDS * 1_000_000L;

    private static final long MICROS_PER_SECOND = 1_000_000L;

    private PgTimestamps() {}

    public static Instant toInstant(long pgMicros) {
        if (pgMicros == Long.MAX_VALUE) {
            return Instant.MAX;
        }
        if (pgMicros == Long.MIN_VALUE) {
            return Instant.MIN;
        }
        // Split first so that adding the epoch offset cannot overflow.
        long seconds = Math.floorDiv(pgMicros, MICROS_PER_SECOND) + PG_EPOCH_UNIX_SECONDS;
        long nanos = Math.floorMod(pgMicros, MICROS_PER_SECOND) * 1_000L;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /**
     * Microseconds since the PostgreSQL epoch, truncated towards the past.
     *
     * @throws ArithmeticException if the instant is outside the representable range
     */
    public static long fromInstant(Instant instant) {
        if (instant.equals(Instant.MAX)) {
            return Long.MAX_VALUE;
        }
        if (instant.equals(Instant.MIN)) {
            return Long.MIN_VALUE;
        }
        long seconds = Math.subtractExact(instant.getEpochSecond(), PG_EPOCH_UNIX_SECONDS);
        return Math.addExact(
                Math.multiplyExact(seconds, MICROS_PER_SECOND), instant.getNano() / 1_000);
    }

    /**
     * @throws ArithmeticException on overflow
     */
    public static long toUnixMicros(long pgMicros) {
        return Math.addExact(pgMicros, PG_EPOCH_UNIX_MICROS);
    }

    /**
     * @throws ArithmeticException on overflow
     */
    public static long fromUnixMicros(long unixMicros) {
        return Math.subtractExact(unixMicros, PG_EPOCH_UNIX_MICROS);
    }

    /** Unix epoch milliseconds, truncated towards the past. */
    public static long toUnixMillis(long pgMicros) {
        return Math.floorDiv(pgMicros, 1_000L) + PG_EPOCH_UNIX_SECONDS * 1_000L;
    }

    /**
     * @throws ArithmeticException on overflow
     */
    public static long fromUnixMillis(long unixMillis) {
        return fromUnixMicros(Math.multiplyExact(unixMillis, 1_000L));
    }

    /** The clock's current time in PostgreSQL microseconds, e.g. for a status update. */
    public static long now(Clock clock) {
        return fromInstant(clock.instant());
    }
}
