package io.pgwalstream.tools.toast;

import io.pgwalstream.tools.drain.DrainReport;
import io.pgwalstream.tools.toast.ToastRun.Contender;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The TOAST benchmark's final table: per contender the medians of the measured runs — rows/s of the
 * drain, CPU-s per million rows, WAL bytes per updated row — with FILL's ratios to FULL's medians
 * and whether FILL meets its targets ({@link ToastRun#TARGET_ROWS_VS_FULL}, {@link
 * ToastRun#TARGET_WAL_VS_FULL}).
 */
final class ToastSummary {

    private ToastSummary() {}

    /** {@code smoke}: the runs are too small to judge against the targets. */
    static String table(List<ToastRun> runs, boolean smoke) {
        StringBuilder out = new StringBuilder();
        String format = "%-16s %4s %12s %7s %9s %10s %11s  %s%n";
        out.append(
                String.format(
                        Locale.ROOT,
                        format,
                        "contender",
                        "runs",
                        "rows/s",
                        "x FULL",
                        "CPU-s/1M",
                        "WAL B/row",
                        "x FULL WAL",
                        String.format(
                                Locale.ROOT,
                                "targets (>= %.1fx FULL rows/s, <= %.1fx FULL WAL)",
                                ToastRun.TARGET_ROWS_VS_FULL,
                                ToastRun.TARGET_WAL_VS_FULL)));
        double fullRows = median(runs, Contender.FULL, ToastRun::rowsPerSecond);
        double fullWal = median(runs, Contender.FULL, ToastRun::walBytesPerRow);
        for (Contender c : Contender.values()) {
            long n = runs.stream().filter(r -> r.contender() == c && !r.warmup()).count();
            if (n == 0) {
                continue;
            }
            double rows = median(runs, c, ToastRun::rowsPerSecond);
            double wal = median(runs, c, ToastRun::walBytesPerRow);
            boolean fill = c == Contender.FILL;
            out.append(
                    String.format(
                            Locale.ROOT,
                            format,
                            c.label,
                            n,
                            String.format(Locale.ROOT, "%,.0f", rows),
                            fill ? ratio(rows / fullRows) : "-",
                            String.format(
                                    Locale.ROOT,
                                    "%.2f",
                                    median(runs, c, ToastRun::cpuSecondsPerMillionRows)),
                            String.format(Locale.ROOT, "%,.0f", wal),
                            fill ? ratio(wal / fullWal) : "-",
                            fill && !smoke ? verdict(rows / fullRows, wal / fullWal) : ""));
        }
        out.append(
                "rows/s: update rows over the drain (first to last update row at the sink);"
                        + " CPU = this JVM's process over it (server CPU not counted); WAL ="
                        + " pg_current_wal_lsn() after the updates minus before, per row."
                        + (smoke ? " Smoke run: targets not judged." : "")
                        + "\n");
        return out.toString();
    }

    private static String verdict(double rowsVsFull, double walVsFull) {
        String rows =
                Double.isNaN(rowsVsFull)
                        ? "rows/s ?"
                        : rowsVsFull >= ToastRun.TARGET_ROWS_VS_FULL
                                ? "rows/s met"
                                : "rows/s MISSED";
        String wal =
                Double.isNaN(walVsFull)
                        ? "WAL ?"
                        : walVsFull <= ToastRun.TARGET_WAL_VS_FULL ? "WAL met" : "WAL MISSED";
        return rows + ", " + wal;
    }

    private static String ratio(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static double median(
            List<ToastRun> runs, Contender c, ToDoubleFunction<ToastRun> metric) {
        return DrainReport.median(
                runs.stream()
                        .filter(r -> r.contender() == c && !r.warmup())
                        .mapToDouble(metric)
                        .toArray());
    }
}
