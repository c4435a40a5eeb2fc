package io.pgwalstream.tools.snapshot;

import io.pgwalstream.tools.drain.OptionNumbers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line of {@link SnapshotBenchmark}.
 *
 * @param rows rows in table {@code bench}, inserted before the runs
 * @param repetitions measured runs per contender
 * @param warmups unmeasured runs per in-JVM contender first (postgres-cdc has none: every run is a
 *     new JVM)
 * @param parallelisms the parallelisms pg-walstream's snapshot runs at, each a contender
 * @param cdcParallelisms the parallelisms postgres-cdc runs at, each a contender
 * @param chunkRows rows per chunk (pg-walstream) and per split (postgres-cdc)
 * @param postgresCdcJar tools/postgres-cdc-bench's jar, or null to skip postgres-cdc
 * @param host server to use; null starts PostgreSQL {@code postgresMajor} through the test harness
 */
record SnapshotOptions(
        long rows,
        int repetitions,
        int warmups,
        List<Integer> parallelisms,
        List<Integer> cdcParallelisms,
        int chunkRows,
        Path postgresCdcJar,
        boolean smoke,
        String host,
        int port,
        String database,
        String user,
        String password,
        int postgresMajor) {

    static final String USAGE =
            String.join(
                    "\n",
                    "Usage: SnapshotBenchmark [options]   (tools/bench-snapshot)",
                    "  Reads table bench(id bigint primary key, a int, amount numeric(12,2), s1"
                            + " text,",
                    "  s2 text, ts timestamptz, flag bool) whole: with COPY ... TO STDOUT (FORMAT",
                    "  binary) into nothing (the server's limit), with pg-walstream's bounded"
                            + " initial",
                    "  snapshot (snapshotOnly(), RowData into a discarding sink) and with Flink"
                            + " CDC",
                    "  postgres-cdc 3.5.0's bounded incremental snapshot"
                            + " (StartupOptions.snapshot()).",
                    "",
                    "  --rows N                rows in the table (default 5000000)",
                    "  --repetitions N         measured runs per contender (default 3)",
                    "  --warmups N             unmeasured runs per contender first (default 1;",
                    "                          postgres-cdc has none, each of its runs is a new"
                            + " JVM)",
                    "  --parallelism LIST      pg-walstream's parallelisms, comma-separated"
                            + " (default",
                    "                          1,2)",
                    "  --cdc-parallelism LIST  postgres-cdc's (default 1: at 2 its snapshot-only",
                    "                          job stalled, see tools/README.md)",
                    "  --chunk-rows N          rows per snapshot chunk / split (default 8096)",
                    "  --postgres-cdc JAR      tools/postgres-cdc-bench's jar; without it"
                            + " postgres-cdc",
                    "                          does not run",
                    "  --smoke                 20000 rows, 1 run each, no warm-up: checks it works",
                    "  Without --host a PostgreSQL server is started through the test harness:",
                    "  --postgres-version N    its major version (default 17)",
                    "  With an existing server (CREATE on the database, REPLICATION):",
                    "  --host H --port P --database D --user U [--password W]",
                    "                          creates table bench, bench_fence and publication",
                    "                          bench_pub, and drops them at the end");

    static SnapshotOptions parse(String... args) {
        long rows = 5_000_000;
        int repetitions = 3;
        int warmups = 1;
        List<Integer> parallelisms = List.of(1, 2);
        // postgres-cdc 3.5.0's snapshot-only job stalled at parallelism 2 (tools/README.md).
        List<Integer> cdcParallelisms = List.of(1);
        int chunkRows = 8096;
        Path cdcJar = null;
        boolean smoke = false;
        String host = null;
        int port = 5432;
        String database = "postgres";
        String user = "postgres";
        String password = null;
        int major = 17;
        List<String> explicit = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--smoke")) {
                smoke = true;
                continue;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Missing value for " + arg + "\n\n" + USAGE);
            }
            String value = args[++i];
            explicit.add(arg);
            switch (arg) {
                case "--rows" -> rows = positive(arg, value);
                case "--repetitions" -> repetitions = (int) positive(arg, value);
                case "--warmups" -> warmups = (int) nonNegative(arg, value);
                case "--parallelism" -> parallelisms = list(arg, value);
                case "--cdc-parallelism" -> cdcParallelisms = list(arg, value);
                case "--chunk-rows" -> chunkRows = (int) positive(arg, value);
                case "--postgres-cdc" -> cdcJar = Path.of(value);
                case "--host" -> host = value;
                case "--port" -> port = (int) positive(arg, value);
                case "--database" -> database = value;
                case "--user" -> user = value;
                case "--password" -> password = value;
                case "--postgres-version" -> major = (int) positive(arg, value);
                default ->
                        throw new IllegalArgumentException(
                                "Unknown option " + arg + "\n\n" + USAGE);
            }
        }
        if (smoke) {
            // Smoke defaults; explicit options still win.
            rows = explicit.contains("--rows") ? rows : 20_000;
            repetitions = explicit.contains("--repetitions") ? repetitions : 1;
            warmups = explicit.contains("--warmups") ? warmups : 0;
        }
        return new SnapshotOptions(
                rows,
                repetitions,
                warmups,
                parallelisms,
                cdcParallelisms,
                chunkRows,
                cdcJar,
                smoke,
                host,
                port,
                database,
                user,
                password,
                major);
    }

    boolean usesHarness() {
        return host == null;
    }

    /** The most task slots any Flink contender in this JVM needs. */
    int maxParallelism() {
        return parallelisms.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    private static List<Integer> list(String option, String value) {
        List<Integer> list = new ArrayList<>();
        for (String part : value.split(",")) {
            int p = (int) positive(option, part.trim());
            if (!list.contains(p)) {
                list.add(p);
            }
        }
        return List.copyOf(list);
    }

    private static long positive(String option, String value) {
        return OptionNumbers.positive(option, value);
    }

    private static long nonNegative(String option, String value) {
        return OptionNumbers.nonNegative(option, value);
    }

    /** Like the record's, but the password never appears (options may end up in a log line). */
    @Override
    public String toString() {
        return "SnapshotOptions[host="
                + host
                + ", port="
                + port
                + ", database="
                + database
                + ", user="
                + user
                + ", password="
                + (password == null ? "null" : "***")
                + ", rows="
                + rows
                + "]";
    }
}
