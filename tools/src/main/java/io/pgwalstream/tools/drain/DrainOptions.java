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
        boolean withSource) {

    /** What the drained WAL holds. */
    enum Workload {
        /** {@code rows} inserted in transactions of {@code rowsPerTransaction}. */
        INSERTS,
        /**
         * {@code rows} rows inserted before the slots exist (not drained), then every row updated
         * (amount, s1, ts; key unchanged) in transactions of {@code rowsPerTransaction}.
         */
        UPDATES
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
                    "  --workload W           inserts (default) or updates (rows written first,"
                            + " then each updated)",
                    "                         --batch 1 gives single-row transactions",
                    "  --binary               pgoutput binary=true for every contender",
                    "  --no-source            skip the Flink source contender (pg-walstream src:"
                            + " the",
                    "                         PgWalStreamSource decoding to RowData into a"
                            + " discarding sink)",
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
                withSource);
    }

    private static Workload workload(String value) {
        try {
            return Workload.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--workload must be inserts or updates, got '" + value + "'");
        }
    }

    boolean usesHarness() {
        return host == null;
    }

    /** Slots needed: one per run of each contender. */
    int slotsPerContender() {
        return warmups + repetitions;
    }

    private static long positiveLong(String option, String value) {
        long n = nonNegativeLong(option, value);
        if (n == 0) {
            throw new IllegalArgumentException(option + " must be positive");
        }
        return n;
    }

    private static long nonNegativeLong(String option, String value) {
        try {
            long n = Long.parseLong(value.replace("_", ""));
            if (n < 0) {
                throw new IllegalArgumentException(option + " must not be negative: " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got '" + value + "'");
        }
    }
}
