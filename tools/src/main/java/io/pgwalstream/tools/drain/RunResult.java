package io.pgwalstream.tools.drain;

/**
 * One drain of one slot by one contender.
 *
 * @param wallNanos from starting the client to the end position
 * @param cpuNanos the client's CPU over the run: pg_recvlogical's process; for the session, the
 *     whole JVM process (I/O thread, consumer, GC and JIT threads)
 * @param threadCpuNanos for the session, the I/O thread plus the consumer thread only; -1 for
 *     pg_recvlogical
 * @param messages XLogData messages consumed, or -1 when the contender does not tell
 * @param payloadBytes pgoutput bytes consumed, or -1 when the contender does not tell
 * @param inserts Insert messages consumed, or -1 when the contender does not tell
 */
record RunResult(
        Contender contender,
        int run,
        boolean warmup,
        long wallNanos,
        long cpuNanos,
        long threadCpuNanos,
        long messages,
        long payloadBytes,
        long inserts) {

    /** Who drained. */
    enum Contender {
        PG_RECVLOGICAL("pg_recvlogical"),
        PG_WALSTREAM("pg-walstream");

        final String label;

        Contender(String label) {
            this.label = label;
        }
    }

    double wallSeconds() {
        return wallNanos / 1e9;
    }

    double rowsPerSecond(long rows) {
        return rows / wallSeconds();
    }

    double megabytesPerSecond(long bytes) {
        return bytes / 1e6 / wallSeconds();
    }

    double cpuSecondsPerMillionRows(long rows) {
        return cpuNanos / 1e9 / rows * 1e6;
    }
}
