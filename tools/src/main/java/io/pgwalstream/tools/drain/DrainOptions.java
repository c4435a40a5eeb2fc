package io.pgwalstream.tools.drain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line of {@link DrainBenchmark}.
 *
 * @param rows rows inserted (and drained by every run)
 * @param rowsPerTransaction rows per INSERT transaction
 * @param repetitions measured runs per contender, each on a fresh slot
 * @param warmups unmeasured runs per contender before the measured ones
 * @param binary pgoutput {@code binary=true} for both contenders
 * @param host server to use; null starts PostgreSQL {@code postgresMajor} through the test harness
 * @param database database on {@code host} (ignored with the harness, which creates one)
 * @param password for {@code user} on {@code host}, or null
 * @param decodingWorkMem {@code logical_decoding_work_mem} set on the benchmark database, or null
 *     to leave the server's value
 * @param pgRecvLogical the pg_recvlogical binary, or null to look for it
 * @param onlyPgWalstream run pg-walstream alone, e.g. under a profiler; no comparison
 * @param workload what the measured WAL holds
 * @param withSource whether the whole Flink source runs too, besides the bare session
 * @param withSql whether the SQL connector runs too
 * @param postgresCdcJar the postgres-cdc drain jar to run as a contender, or null for none
 * @param results a file to append the median table to, as tab-separated lines, or null
 */
record DrainOptions(
        long rows,
        int rowsPerTransaction,
        int repetitions,
        int warmups,
        boolean binary,
        String host,
        int port,
        String database,
        String user,
        String password,
        int postgresMajor,
        String decodingWorkMem,
        Path pgRecvLogical,
        boolean smoke,
        boolean onlyPgWalstream,
        Workload workload,
        boolean withSource,
        boolean withSql,
        Path postgresCdcJar,
        Path results) {

    /** What the drained WAL holds. */
    enum Workload {
        /** {@code rows} inserted in transactions of {@code rowsPerTransaction}. */
        INSERTS,
        /**
         * {@code rows} rows inserted before the slots exist (not drained), then every row updated
         * (amount, s1, ts; key unchanged) in transactions of {@code rowsPerTransaction}.
         */
        UPDATES,
        /** As {@link #INSERTS}, of the 30-column {@link BenchTable#WIDE} row (jsonb, 2 KB text). */
        WIDE;

        BenchTable table() {
            return this == WIDE ? BenchTable.WIDE : BenchTable.NARROW;
        }
    }

    static final String USAGE =
            String.join(
                    "\n",
                    "Usage: DrainBenchmark [options]",
                    "  Drains the same pgoutput stream with pg_recvlogical, with pg-walstream's",
                    "  ReplicationSession (framing only) and with the whole Flink source, and",
                    "  compares rows/s and client CPU.",
                    "",
                    "  --rows N               rows to insert (default 1000000)",
                    "  --batch N              rows per transaction (default 1000)",
                    "  --repetitions N        measured runs per contender (default 3)",
                    "  --warmups N            unmeasured runs per contender first (default 1)",
                    "  --workload W           inserts (default), updates (rows written first,"
                            + " then each",
                    "                         updated) or wide (inserts of a 30-column row with"
                            + " jsonb",
                    "                         and a 2 KB text)",
                    "                         --batch 1 gives single-row transactions",
                    "  --binary               pgoutput binary=true for every contender",
                    "  --no-source            skip the Flink source contender (pg-walstream src:"
                            + " the",
                    "                         PgWalStreamSource decoding to RowData into a"
                            + " discarding sink)",
                    "  --no-sql               skip the SQL contender (pg-walstream sql: a"
                            + " 'pg-walstream'",
                    "                         table INSERT INTO a counting blackhole table)",
                    "  --postgres-cdc JAR     also run Flink CDC's postgres-cdc 3.5.0 (Flink"
                            + " 1.20.3) in a",
                    "                         child JVM from tools/postgres-cdc-bench's jar (text"
                            + " pgoutput",
                    "                         only: it has no binary mode)",
                    "  --results FILE         append the median table to FILE (tab-separated, for"
                            + " tools/bench)",
                    "  --smoke                5000 rows, 1 repetition, no warm-up: checks it works",
                    "  --only-pg-walstream    drain with pg-walstream only (to profile it)",
                    "  --pg-recvlogical PATH  the pg_recvlogical binary (default: looked up)",
                    "  --decoding-work-mem V  logical_decoding_work_mem for the benchmark database",
                    "                         (default 64MB, PostgreSQL's default; 'server' keeps"
                            + " the server's)",
                    "  Without --host a PostgreSQL server is started through the test harness:",
                    "  --postgres-version N   its major version (default 17)",
                    "  With an existing server (user needs REPLICATION and CREATE on the"
                            + " database):",
                    "  --host H --port P --database D --user U [--password W]",
                    "                         creates tables bench, bench_fence, publication",
                    "                         bench_pub and slots bench_*, and drops them at the"
                            + " end");

    static DrainOptions parse(String... args) {
        long rows = 1_000_000;
        int batch = 1000;
        int repetitions = 3;
        int warmups = 1;
        boolean binary = false;
        boolean smoke = false;
        boolean onlyPgWalstream = false;
        boolean withSource = true;
        boolean withSql = true;
        Path postgresCdcJar = null;
        Path results = null;
        Workload workload = Workload.INSERTS;
        String host = null;
        int port = 5432;
        String database = "postgres";
        String user = "postgres";
        String password = null;
        int major = 17;
        String workMem = "64MB";
        Path pgRecvLogical = null;
        List<String> explicit = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--smoke":
                    smoke = true;
                    continue;
                case "--binary":
                    binary = true;
                    continue;
                case "--only-pg-walstream":
                    onlyPgWalstream = true;
                    continue;
                case "--no-source":
                    withSource = false;
                    continue;
                case "--no-sql":
                    withSql = false;
                    continue;
                case "--help":
                case "-h":
                    throw new IllegalArgumentException(USAGE);
                default:
                    break;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Missing value for " + arg + "\n\n" + USAGE);
            }
            String value = args[++i];
            explicit.add(arg);
            switch (arg) {
                case "--rows":
                    rows = positiveLong(arg, value);
                    break;
                case "--batch":
                    batch = (int) positiveLong(arg, value);
                    break;
                case "--repetitions":
                    repetitions = (int) positiveLong(arg, value);
                    break;
                case "--warmups":
                    warmups = (int) nonNegativeLong(arg, value);
                    break;
                case "--host":
                    host = value;
                    break;
                case "--port":
                    port = (int) positiveLong(arg, value);
                    break;
                case "--database":
                    database = value;
                    break;
                case "--user":
                    user = value;
                    break;
                case "--password":
                    password = value;
                    break;
                case "--postgres-version":
                    major = (int) positiveLong(arg, value);
                    break;
                case "--decoding-work-mem":
                    workMem = value.equals("server") ? null : value;
                    break;
                case "--pg-recvlogical":
                    pgRecvLogical = Path.of(value);
                    break;
                case "--workload":
                    workload = workload(value);
                    break;
                case "--postgres-cdc":
                    postgresCdcJar = Path.of(value);
                    break;
                case "--results":
                    results = Path.of(value);
                    break;
                default:
                    throw new IllegalArgumentException("Unknown option " + arg + "\n\n" + USAGE);
            }
        }
        if (smoke) {
            // Smoke defaults; explicit options still win.
            rows = explicit.contains("--rows") ? rows : 5_000;
            repetitions = explicit.contains("--repetitions") ? repetitions : 1;
            warmups = explicit.contains("--warmups") ? warmups : 0;
        }
        if (workMem != null && !workMem.matches("[0-9]+\\s*(kB|MB|GB)?")) {
            throw new IllegalArgumentException(
                    "--decoding-work-mem must look like 64MB or 65536kB, got '" + workMem + "'");
        }
        return new DrainOptions(
                rows,
                batch,
                repetitions,
                warmups,
                binary,
                host,
                port,
                database,
                user,
                password,
                major,
                workMem,
                pgRecvLogical,
                smoke,
                onlyPgWalstream,
                workload,
                withSource,
                withSql,
                postgresCdcJar,
                results);
    }

    private static Workload workload(String value) {
        try {
            return Workload.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--workload must be inserts, updates or wide, got '" + value + "'");
        }
    }

    /** A short name of what the WAL holds, e.g. {@code inserts 1,000,000 (1000/tx)}. */
    String workloadLabel() {
        return String.format(
                java.util.Locale.ROOT,
                "%s %,d (%d/tx)",
                workload.name().toLowerCase(java.util.Locale.ROOT),
                rows,
                rowsPerTransaction);
    }

    boolean usesHarness() {
        return host == null;
    }

    /** Slots needed: one per run of each contender. */
    int slotsPerContender() {
        return warmups + repetitions;
    }

    private static long positiveLong(String option, String value) {
        return OptionNumbers.positive(option, value);
    }

    private static long nonNegativeLong(String option, String value) {
        return OptionNumbers.nonNegative(option, value);
    }
}
