package io.pgwalstream.tools.drain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The final table of {@code tools/bench}: reads the tab-separated median lines that every {@link
 * DrainBenchmark} run appended ({@code --results}) and prints one row per workload, format and
 * contender with its ratios to pg_recvlogical and to postgres-cdc and whether pg-walstream's Flink
 * contenders met their targets.
 *
 * <p>postgres-cdc has no binary mode, so it runs in the text runs only; a binary row's ratio to
 * postgres-cdc divides by the same workload's text postgres-cdc median (marked {@code *}).
 */
public final class BenchSummary {

    /** One median line: see {@link DrainReport#results(String, String)}. */
    record Median(
            String workload,
            String format,
            String contender,
            int runs,
            double rowsPerSecond,
            double cpuPerMillionRows,
            double peakRssMegabytes,
            double streamingRowsPerSecond) {

        static Median parse(String line) {
            String[] f = line.split("\t");
            if (f.length != 8) {
                throw new IllegalArgumentException(
                        "Not a median line (8 tab-separated fields): " + line);
            }
            return new Median(
                    f[0],
                    f[1],
                    f[2],
                    Integer.parseInt(f[3]),
                    Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]),
                    Double.parseDouble(f[6]),
                    Double.parseDouble(f[7]));
        }
    }

    private BenchSummary() {}

    public static void main(String[] args) throws IOException {
        boolean smoke = args.length == 2 && args[1].equals("--smoke");
        if (args.length != 1 && !smoke) {
            System.err.println("Usage: BenchSummary RESULTS_FILE [--smoke]");
            System.exit(2);
        }
        List<Median> medians = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (!line.isBlank()) {
                medians.add(Median.parse(line));
            }
        }
        System.out.print(table(medians, smoke));
    }

    /** {@code smoke}: the runs are too small to judge against the targets. */
    static String table(List<Median> medians, boolean smoke) {
        StringBuilder out = new StringBuilder();
        String format = "%-26s %-6s %-16s %4s %12s %8s %8s %9s %8s  %s%n";
        out.append(
                String.format(
                        Locale.ROOT,
                        format,
                        "workload",
                        "format",
                        "contender",
                        "runs",
                        "rows/s",
                        "x recv",
                        "x cdc",
                        "CPU-s/1M",
                        "RSS MB",
                        "targets (>= 0.9x recv, >= 3x cdc)"));
        Map<String, List<Median>> byRun = new LinkedHashMap<>();
        for (Median m : medians) {
            byRun.computeIfAbsent(m.workload() + "\t" + m.format(), k -> new ArrayList<>()).add(m);
        }
        for (List<Median> run : byRun.values()) {
            Median recv = find(run, RunResult.Contender.PG_RECVLOGICAL.label);
            Median cdc = find(run, RunResult.Contender.POSTGRES_CDC.label);
            boolean cdcFromText = false;
            if (cdc == null) {
                cdc =
                        find(
                                medians,
                                run.get(0).workload(),
                                "text",
                                RunResult.Contender.POSTGRES_CDC.label);
                cdcFromText = cdc != null;
            }
            for (Median m : run) {
                RunResult.Contender contender = contender(m.contender());
                double vsRecv =
                        recv == null ? Double.NaN : m.rowsPerSecond() / recv.rowsPerSecond();
                double vsCdc = cdc == null ? Double.NaN : m.rowsPerSecond() / cdc.rowsPerSecond();
                out.append(
                        String.format(
                                Locale.ROOT,
                                format,
                                m.workload(),
                                m.format(),
                                m.contender(),
                                m.runs(),
                                String.format(Locale.ROOT, "%,.0f", m.rowsPerSecond()),
                                ratio(vsRecv, ""),
                                contender == RunResult.Contender.POSTGRES_CDC
                                        ? "-"
                                        : ratio(vsCdc, cdcFromText ? "*" : ""),
                                String.format(Locale.ROOT, "%.2f", m.cpuPerMillionRows()),
                                Double.isNaN(m.peakRssMegabytes())
                                        ? "-"
                                        : String.format(Locale.ROOT, "%.0f", m.peakRssMegabytes()),
                                smoke ? "" : verdict(contender, vsRecv, vsCdc)));
            }
        }
        out.append(
                "x recv, x cdc: median rows/s over pg_recvlogical's and postgres-cdc's in the same"
                        + " run; * = postgres-cdc's text run (it has no binary mode)."
                        + (smoke ? " Smoke run: targets not judged." : "")
                        + "\n");
        return out.toString();
    }

    private static String verdict(RunResult.Contender c, double vsRecv, double vsCdc) {
        if (c == null || Double.isNaN(c.targetVsPostgresCdc)) {
            return "";
        }
        String recv =
                Double.isNaN(vsRecv)
                        ? "recv ?"
                        : vsRecv >= c.targetRatio ? "recv met" : "recv MISSED";
        String cdc =
                Double.isNaN(vsCdc)
                        ? "cdc ?"
                        : vsCdc >= c.targetVsPostgresCdc ? "cdc met" : "cdc MISSED";
        return recv + ", " + cdc;
    }

    private static String ratio(double value, String mark) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f%s", value, mark);
    }

    private static RunResult.Contender contender(String label) {
        for (RunResult.Contender c : RunResult.Contender.values()) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        return null;
    }

    private static Median find(List<Median> run, String contender) {
        for (Median m : run) {
            if (m.contender().equals(contender)) {
                return m;
            }
        }
        return null;
    }

    private static Median find(List<Median> all, String workload, String format, String contender) {
        for (Median m : all) {
            if (m.workload().equals(workload)
                    && m.format().equals(format)
                    && m.contender().equals(contender)) {
                return m;
            }
        }
        return null;
    }
}
