package io.pgwalstream.tools.snapshot;

import java.util.Locale;

/**
 * One read of the whole table by one contender.
 *
 * @param parallelism the job's parallelism (1 for COPY: one connection)
 * @param wallNanos COPY: connect to the last byte; the Flink jobs: job submission to the job's end
 * @param cpuNanos the client's CPU over the wall: this JVM's process for COPY and pg-walstream
 *     (with the local Flink cluster, GC, JIT), postgres-cdc's JVM for postgres-cdc
 * @param firstRowNanos from the start to the first row (deployment, snapshot export, chunk
 *     planning); -1 if not known
 * @param rows rows the contender saw
 * @param bytes COPY's bytes received; -1 for the others
 * @param peakRssKb the peak resident set size over the run in kB, -1 if unknown: for this JVM's
 *     contenders the JVM's (reset after a full GC before the run), for postgres-cdc its process's
 */
record SnapshotRun(
        Contender contender,
        int parallelism,
        int run,
        boolean warmup,
        long wallNanos,
        long cpuNanos,
        long firstRowNanos,
        long rows,
        long bytes,
        long peakRssKb) {

    /** Who read the table. */
    enum Contender {
        COPY("COPY drain", Double.NaN, Double.NaN),
        PG_WALSTREAM("pg-walstream", 0.8, 30.0),
        POSTGRES_CDC("postgres-cdc", Double.NaN, Double.NaN);

        final String label;

        /** The rows/s ratio to COPY aimed for, NaN for none. */
        final double targetVsCopy;

        /** The rows/s ratio to postgres-cdc aimed for, NaN for none. */
        final double targetVsPostgresCdc;

        Contender(String label, double targetVsCopy, double targetVsPostgresCdc) {
            this.label = label;
            this.targetVsCopy = targetVsCopy;
            this.targetVsPostgresCdc = targetVsPostgresCdc;
        }
    }

    /** A contender at one parallelism: what the summary has a line for. */
    record Key(Contender contender, int parallelism) {
        String label() {
            return contender == Contender.COPY
                    ? contender.label
                    : contender.label + " p" + parallelism;
        }
    }

    Key key() {
        return new Key(contender, parallelism);
    }

    double rowsPerSecond() {
        return rows / (wallNanos / 1e9);
    }

    double cpuSecondsPerMillionRows() {
        return cpuNanos / 1e9 / rows * 1e6;
    }

    static String header() {
        return String.format(
                Locale.ROOT,
                "%-18s %-5s %8s %12s %8s %10s %9s",
                "contender",
                "run",
                "wall s",
                "rows/s",
                "CPU s",
                "1st row s",
                "peak RSS");
    }

    String line() {
        return String.format(
                Locale.ROOT,
                "%-18s %-5s %8.3f %,12.0f %8.3f %10s %9s",
                key().label(),
                (warmup ? "w" : "") + run,
                wallNanos / 1e9,
                rowsPerSecond(),
                cpuNanos / 1e9,
                firstRowNanos < 0 ? "-" : String.format(Locale.ROOT, "%.3f", firstRowNanos / 1e9),
                peakRssKb < 0 ? "-" : String.format(Locale.ROOT, "%.0f MB", peakRssKb / 1024.0));
    }
}
