package io.pgwalstream.tools.drain;

import io.pgwalstream.tools.drain.RunResult.Contender;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Per-run lines and the median summary of a drain benchmark. */
public final class DrainReport {

    private final long rows;
    private final long payloadBytes;
    private final List<RunResult> runs = new ArrayList<>();

    /**
     * @param payloadBytes pgoutput bytes of one drain (the same stream for every run)
     */
    DrainReport(long rows, long payloadBytes) {
        this.rows = rows;
        this.payloadBytes = payloadBytes;
    }

    void add(RunResult run) {
        runs.add(run);
    }

    static String header() {
        return String.format(
                Locale.ROOT,
                "%-16s %-6s %8s %12s %8s %8s %12s %9s",
                "contender",
                "run",
                "wall s",
                "rows/s",
                "MB/s",
                "CPU s",
                "threads CPU",
                "peak RSS");
    }

    String line(RunResult r) {
        return String.format(
                Locale.ROOT,
                "%-16s %-6s %8.3f %,12.0f %8.1f %8.3f %12s %9s",
                r.contender().label,
                (r.warmup() ? "w" : "") + r.run(),
                r.wallSeconds(),
                r.rowsPerSecond(rows),
                r.megabytesPerSecond(payloadBytes),
                r.cpuNanos() / 1e9,
                r.threadCpuNanos() < 0
                        ? "-"
                        : String.format(Locale.ROOT, "%.3f", r.threadCpuNanos() / 1e9),
                r.peakRssKb() < 0
                        ? "-"
                        : String.format(Locale.ROOT, "%.0f MB", r.peakRssKb() / 1024.0));
    }

    /** Median peak RSS in MB, NaN if unknown. */
    double medianPeakRssMegabytes(Contender c) {
        return median(c, r -> r.peakRssKb() < 0 ? Double.NaN : r.peakRssKb() / 1024.0);
    }

    /** Median rows/s from a job's first row to its last (NaN for contenders without jobs). */
    double medianStreamingRowsPerSecond(Contender c) {
        return median(c, r -> r.streamNanos() <= 0 ? Double.NaN : rows / (r.streamNanos() / 1e9));
    }

    /**
     * Median client CPU seconds per 1M rows from a job's first row to its last (NaN for contenders
     * without that measure).
     */
    double medianStreamingCpuPerMillionRows(Contender c) {
        return median(
                c, r -> r.streamCpuNanos() < 0 ? Double.NaN : r.streamCpuNanos() / 1e3 / rows);
    }

    /**
     * The median table as tab-separated lines for tools/bench: workload, format, contender, runs,
     * median rows/s, CPU-s per 1M rows, peak RSS MB, streaming-only rows/s.
     */
    String results(String workload, String format) {
        StringBuilder out = new StringBuilder();
        for (Contender c : Contender.values()) {
            if (measured(c).isEmpty()) {
                continue;
            }
            out.append(
                    String.join(
                            "\t",
                            workload,
                            c == Contender.POSTGRES_CDC ? "text" : format,
                            c.label,
                            Integer.toString(measured(c).size()),
                            String.format(Locale.ROOT, "%.1f", medianRowsPerSecond(c)),
                            String.format(Locale.ROOT, "%.3f", medianCpuPerMillionRows(c)),
                            String.format(Locale.ROOT, "%.1f", medianPeakRssMegabytes(c)),
                            String.format(Locale.ROOT, "%.1f", medianStreamingRowsPerSecond(c))));
            out.append('\n');
        }
        return out.toString();
    }

    double medianRowsPerSecond(Contender c) {
        return median(c, r -> r.rowsPerSecond(rows));
    }

    double medianCpuPerMillionRows(Contender c) {
        return median(c, r -> r.cpuSecondsPerMillionRows(rows));
    }

    double medianThreadCpuPerMillionRows(Contender c) {
        return median(c, r -> r.threadCpuNanos() / 1e9 / rows * 1e6);
    }

    /** {@code c} / pg_recvlogical, by median rows/s. */
    double throughputRatio(Contender c) {
        return medianRowsPerSecond(c) / medianRowsPerSecond(Contender.PG_RECVLOGICAL);
    }

    /** The median table; {@code smoke} runs are too small to judge against the target. */
    String summary(boolean smoke) {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "%-16s %5s %14s %10s %16s %14s%n",
                        "contender",
                        "runs",
                        "median rows/s",
                        "MB/s",
                        "CPU-s / 1M rows",
                        "peak RSS MB"));
        for (Contender c : Contender.values()) {
            if (measured(c).isEmpty()) {
                continue;
            }
            double rowsPerSecond = medianRowsPerSecond(c);
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%-16s %5d %,14.0f %10.1f %16.3f %14.0f%n",
                            c.label,
                            measured(c).size(),
                            rowsPerSecond,
                            rowsPerSecond / rows * payloadBytes / 1e6,
                            medianCpuPerMillionRows(c),
                            medianPeakRssMegabytes(c)));
        }
        if (measured(Contender.PG_RECVLOGICAL).isEmpty()) {
            return out.toString();
        }
        for (Contender c : Contender.values()) {
            if (c == Contender.PG_RECVLOGICAL || measured(c).isEmpty()) {
                continue;
            }
            if (!measured(Contender.POSTGRES_CDC).isEmpty()
                    && !Double.isNaN(c.targetVsPostgresCdc)) {
                double vsCdc = medianRowsPerSecond(c) / medianRowsPerSecond(Contender.POSTGRES_CDC);
                out.append(
                        String.format(
                                Locale.ROOT,
                                "ratio %s / postgres-cdc: rows/s %.2fx (target >= %.1fx: %s),"
                                        + " CPU per row %.2fx%n",
                                c.label,
                                vsCdc,
                                c.targetVsPostgresCdc,
                                verdict(smoke, vsCdc >= c.targetVsPostgresCdc),
                                medianCpuPerMillionRows(c)
                                        / medianCpuPerMillionRows(Contender.POSTGRES_CDC)));
            }
            double ratio = throughputRatio(c);
            out.append(
                    String.format(
                            Locale.ROOT,
                            "ratio %s / pg_recvlogical: rows/s %.3fx (%s), CPU per row %.2fx",
                            c.label,
                            ratio,
                            Double.isNaN(c.targetRatio)
                                    ? "no target"
                                    : String.format(
                                            Locale.ROOT,
                                            "target >= %.2fx: %s",
                                            c.targetRatio,
                                            verdict(smoke, ratio >= c.targetRatio)),
                            medianCpuPerMillionRows(c)
                                    / medianCpuPerMillionRows(Contender.PG_RECVLOGICAL)));
            if (c == Contender.PG_WALSTREAM) {
                out.append(
                        String.format(
                                Locale.ROOT,
                                " (I/O + consumer threads only: %.2fx)",
                                medianThreadCpuPerMillionRows(c)
                                        / medianCpuPerMillionRows(Contender.PG_RECVLOGICAL)));
            }
            if (!Double.isNaN(c.targetCpuPerMillionRows)) {
                double cpu = medianCpuPerMillionRows(c);
                out.append(
                        String.format(
                                Locale.ROOT,
                                "; %.2f CPU-s / 1M rows (target <= %.0f: %s)",
                                cpu,
                                c.targetCpuPerMillionRows,
                                verdict(smoke, cpu <= c.targetCpuPerMillionRows)));
            }
            out.append(System.lineSeparator());
            if (c == Contender.FLINK_SOURCE || c == Contender.SQL || c == Contender.POSTGRES_CDC) {
                double streaming = medianStreamingRowsPerSecond(c);
                double streamingCpu = medianStreamingCpuPerMillionRows(c);
                out.append(
                        String.format(
                                Locale.ROOT,
                                "  %s streaming only (first to last row, without the job's"
                                        + " deployment and shutdown): %,.0f rows/s, %.3fx%s%n",
                                c.label,
                                streaming,
                                streaming / medianRowsPerSecond(Contender.PG_RECVLOGICAL),
                                Double.isNaN(streamingCpu)
                                        ? ""
                                        : String.format(
                                                Locale.ROOT,
                                                "; %.2f CPU-s / 1M rows",
                                                streamingCpu)));
            }
        }
        return out.toString();
    }

    private static String verdict(boolean smoke, boolean met) {
        return smoke ? "not judged on a smoke run" : met ? "met" : "NOT met";
    }

    private List<RunResult> measured(Contender c) {
        List<RunResult> list = new ArrayList<>();
        for (RunResult r : runs) {
            if (r.contender() == c && !r.warmup()) {
                list.add(r);
            }
        }
        return list;
    }

    private double median(Contender c, ToDoubleFunction<RunResult> metric) {
        return median(measured(c).stream().mapToDouble(metric).toArray());
    }

    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
