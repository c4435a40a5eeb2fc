package io.pgwalstream.tools.snapshot;

import io.pgwalstream.tools.snapshot.SnapshotRun.Contender;
import io.pgwalstream.tools.snapshot.SnapshotRun.Key;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The snapshot benchmark's final table, in the style of the drain comparison's: one line per
 * contender and parallelism with median rows/s, its ratio to COPY's median ({@code x copy}) and to
 * postgres-cdc's at the same parallelism ({@code x cdc}; postgres-cdc's parallelism-1 median,
 * marked {@code *}, when it did not run at that parallelism), CPU-s per million rows, peak RSS and,
 * for pg-walstream, whether the targets are met.
 */
final class SnapshotSummary {

    private SnapshotSummary() {}

    /** {@code smoke}: the runs are too small to judge against the targets. */
    static String table(long rows, List<SnapshotRun> runs, boolean smoke) {
        Map<Key, List<SnapshotRun>> measured = new LinkedHashMap<>();
        for (Contender c : Contender.values()) {
            for (SnapshotRun r : runs) {
                if (r.contender() == c && !r.warmup()) {
                    measured.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        String format = "%-18s %4s %12s %8s %8s %9s %8s  %s%n";
        out.append(
                String.format(
                        Locale.ROOT,
                        format,
                        "contender",
                        "runs",
                        "rows/s",
                        "x copy",
                        "x cdc",
                        "CPU-s/1M",
                        "RSS MB",
                        "targets (>= 0.8x copy, >= 30x cdc)"));
        double copy = median(measured.get(new Key(Contender.COPY, 1)), SnapshotRun::rowsPerSecond);
        for (Map.Entry<Key, List<SnapshotRun>> e : measured.entrySet()) {
            Key key = e.getKey();
            List<SnapshotRun> list = e.getValue();
            double rowsPerSecond = median(list, SnapshotRun::rowsPerSecond);
            double vsCopy = rowsPerSecond / copy;
            List<SnapshotRun> cdcRuns =
                    measured.get(new Key(Contender.POSTGRES_CDC, key.parallelism()));
            boolean cdcAtOne = false;
            if (cdcRuns == null) {
                cdcRuns = measured.get(new Key(Contender.POSTGRES_CDC, 1));
                cdcAtOne = cdcRuns != null;
            }
            double vsCdc = rowsPerSecond / median(cdcRuns, SnapshotRun::rowsPerSecond);
            double rss = median(list, r -> r.peakRssKb() < 0 ? Double.NaN : r.peakRssKb() / 1024.0);
            out.append(
                    String.format(
                            Locale.ROOT,
                            format,
                            key.label(),
                            list.size(),
                            String.format(Locale.ROOT, "%,.0f", rowsPerSecond),
                            key.contender() == Contender.COPY ? "-" : ratio(vsCopy, ""),
                            key.contender() == Contender.POSTGRES_CDC
                                            || key.contender() == Contender.COPY
                                    ? "-"
                                    : ratio(vsCdc, cdcAtOne ? "*" : ""),
                            String.format(
                                    Locale.ROOT,
                                    "%.2f",
                                    median(list, SnapshotRun::cpuSecondsPerMillionRows)),
                            Double.isNaN(rss) ? "-" : String.format(Locale.ROOT, "%.0f", rss),
                            smoke ? "" : verdict(key.contender(), vsCopy, vsCdc)));
        }
        out.append(
                String.format(
                        Locale.ROOT,
                        "%,d rows; x copy: median rows/s over COPY's; x cdc: over postgres-cdc's at"
                                + " the same parallelism (* = at parallelism 1). CPU = the"
                                + " client's process (server CPU not counted).%s%n",
                        rows,
                        smoke ? " Smoke run: targets not judged." : ""));
        return out.toString();
    }

    private static String verdict(Contender c, double vsCopy, double vsCdc) {
        if (Double.isNaN(c.targetVsCopy)) {
            return "";
        }
        String copy =
                Double.isNaN(vsCopy)
                        ? "copy ?"
                        : vsCopy >= c.targetVsCopy ? "copy met" : "copy MISSED";
        String cdc =
                Double.isNaN(vsCdc)
                        ? "cdc ?"
                        : vsCdc >= c.targetVsPostgresCdc ? "cdc met" : "cdc MISSED";
        return copy + ", " + cdc;
    }

    private static String ratio(double value, String mark) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f%s", value, mark);
    }

    static double median(List<SnapshotRun> runs, ToDoubleFunction<SnapshotRun> metric) {
        if (runs == null || runs.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = runs.stream().mapToDouble(metric).toArray();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
