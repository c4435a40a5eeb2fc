package io.pgwalstream.tools.toast;

import java.util.Locale;

/**
 * One contender's run: the snapshot job, the updates written while no job reads the slot, and the
 * drain of that backlog by the job restored from the snapshot job's savepoint.
 *
 * @param rows update rows written, and received by the sink
 * @param snapshotNanos the snapshot job's submission to the last snapshot row at the sink
 * @param writeNanos the time the updates took to write (the server's, no job running)
 * @param walBytes WAL the updates wrote: {@code pg_current_wal_lsn()} after them minus before
 * @param streamNanos from the first update row at the sink to the last
 * @param streamCpuNanos this JVM's process CPU over {@code streamNanos}; -1 if too few rows
 * @param jobCpuNanos this JVM's process CPU from the drain job's submission to its last row
 *     (deployment and state restore included)
 * @param checkFailures rows whose large value arrived NULL or of the wrong length
 */
record ToastRun(
        Contender contender,
        int run,
        boolean warmup,
        long rows,
        long snapshotNanos,
        long writeNanos,
        long walBytes,
        long streamNanos,
        long streamCpuNanos,
        long jobCpuNanos,
        long checkFailures) {

    /** Who reads the table, and the table it reads. */
    enum Contender {
        /** REPLICA IDENTITY DEFAULT, {@code 'types.unchanged-toast' = 'FILL'}. */
        FILL("DEFAULT + FILL", "toast_fill", "DEFAULT"),
        /** REPLICA IDENTITY FULL, the default policy: the old row fills the value. */
        FULL("FULL", "toast_full", "FULL");

        final String label;
        final String table;
        final String replicaIdentity;

        Contender(String label, String table, String replicaIdentity) {
            this.label = label;
            this.table = table;
            this.replicaIdentity = replicaIdentity;
        }

        String publication() {
            return table + "_pub";
        }
    }

    /** FILL's median rows/s must be at least this share of FULL's. */
    static final double TARGET_ROWS_VS_FULL = 0.8;

    /** FILL's median WAL per row must be at most this share of FULL's. */
    static final double TARGET_WAL_VS_FULL = 0.6;

    double rowsPerSecond() {
        return streamNanos <= 0 ? Double.NaN : rows / (streamNanos / 1e9);
    }

    /** Per million rows, over the stream window; the whole drain job's when the window has none. */
    double cpuSecondsPerMillionRows() {
        long cpu = streamCpuNanos >= 0 ? streamCpuNanos : jobCpuNanos;
        return cpu / 1e9 / rows * 1e6;
    }

    double walBytesPerRow() {
        return walBytes / (double) rows;
    }

    static String header() {
        return String.format(
                Locale.ROOT,
                "%-16s %-4s %10s %8s %10s %10s %8s %12s %8s %9s %6s",
                "contender",
                "run",
                "snapshot s",
                "write s",
                "WAL MB",
                "WAL B/row",
                "drain s",
                "rows/s",
                "CPU s",
                "job CPU s",
                "bad");
    }

    String line() {
        return String.format(
                Locale.ROOT,
                "%-16s %-4s %10.3f %8.3f %10.1f %10.0f %8.3f %,12.0f %8s %9.3f %6d",
                contender.label,
                (warmup ? "w" : "") + run,
                snapshotNanos / 1e9,
                writeNanos / 1e9,
                walBytes / 1e6,
                walBytesPerRow(),
                streamNanos / 1e9,
                rowsPerSecond(),
                streamCpuNanos < 0 ? "-" : String.format(Locale.ROOT, "%.3f", streamCpuNanos / 1e9),
                jobCpuNanos / 1e9,
                checkFailures);
    }
}
