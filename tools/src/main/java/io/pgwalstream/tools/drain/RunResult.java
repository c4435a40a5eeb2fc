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
 * @param rowChanges Insert, Update and Delete messages consumed, or -1 when the contender does not
 *     tell
 * @param streamNanos for the Flink jobs, from its first row to its last (the job's deployment and
 *     shutdown excluded); -1 for the others
 * @param streamCpuNanos for pg-walstream's Flink jobs, the process CPU over {@code streamNanos}; -1
 *     for the others
 * @param peakRssKb the client's peak resident set size over the run in kB, or -1 if unknown: for a
 *     child process (pg_recvlogical, postgres-cdc) its own high-water mark; for the contenders in
 *     this JVM the JVM's, reset just before the run (so it includes the heap and the local Flink
 *     cluster left by earlier runs)
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
        long rowChanges,
        long streamNanos,
        long streamCpuNanos,
        long peakRssKb) {

    /** Who drained. */
    enum Contender {
        PG_RECVLOGICAL("pg_recvlogical", Double.NaN, Double.NaN, Double.NaN),
        /** The replication session alone: framing, no decoding (the replication-client target). */
        PG_WALSTREAM("pg-walstream", 0.95, Double.NaN, Double.NaN),
        /** The whole Flink source: decoding, assembly and RowData into a discarding sink. */
        FLINK_SOURCE("pg-walstream src", 0.90, 10.0, 3.0),
        /** The SQL connector: a {@code 'pg-walstream'} table into a counting sink table. */
        SQL("pg-walstream sql", 0.90, Double.NaN, 3.0),
        /** Flink CDC's postgres-cdc source on Flink 1.20, in its own JVM. */
        POSTGRES_CDC("postgres-cdc", Double.NaN, Double.NaN, Double.NaN);

        final String label;

        /** The rows/s ratio to pg_recvlogical aimed for, NaN for none. */
        final double targetRatio;

        /** The client CPU seconds per million rows aimed for, NaN if none. */
        final double targetCpuPerMillionRows;

        /** The rows/s ratio to postgres-cdc aimed for, NaN for none. */
        final double targetVsPostgresCdc;

        Contender(
                String label,
                double targetRatio,
                double targetCpuPerMillionRows,
                double targetVsPostgresCdc) {
            this.label = label;
            this.targetRatio = targetRatio;
            this.targetCpuPerMillionRows = targetCpuPerMillionRows;
            this.targetVsPostgresCdc = targetVsPostgresCdc;
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
