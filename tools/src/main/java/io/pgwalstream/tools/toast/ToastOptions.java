package io.pgwalstream.tools.toast;

import io.pgwalstream.tools.drain.OptionNumbers;

import java.util.ArrayList;
import java.util.List;

/**
 * Command line of {@link ToastBenchmark}.
 *
 * @param rows rows in each table, inserted before the runs
 * @param updates update rows each run writes (and the sink must receive)
 * @param batch rows per update transaction
 * @param repetitions measured runs per contender
 * @param warmups unmeasured runs per contender first
 * @param parallelism the source's and the fill operator's parallelism (the sink runs at 1)
 * @param stateBackend {@code hashmap} or {@code rocksdb}
 * @param checkpointMillis the drain job's checkpoint interval; 0 = no checkpoints
 * @param host server to use; null starts PostgreSQL {@code postgresMajor} through the test harness
 */
record ToastOptions(
        long rows,
        long updates,
        int batch,
        int repetitions,
        int warmups,
        int parallelism,
        String stateBackend,
        long checkpointMillis,
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
                    "Usage: ToastBenchmark [options]   (tools/bench-toast)",
                    "  Updates that leave a 4 KB TOASTed column unchanged, read with pg-walstream"
                            + " SQL",
                    "  (upsert, primary key id) from two tables of the same rows:",
                    "    DEFAULT + FILL  REPLICA IDENTITY DEFAULT, 'types.unchanged-toast' ="
                            + " 'FILL'",
                    "    FULL            REPLICA IDENTITY FULL, the default policy",
                    "  Each run: snapshot job ('initial'), stop with a savepoint, write the"
                            + " updates,",
                    "  restore the job and time how fast it drains the backlog.",
                    "",
                    "  --rows N                rows per table (default 20000)",
                    "  --updates N             update rows per run (default 500000)",
                    "  --batch N               rows per update transaction (default 1000)",
                    "  --repetitions N         measured runs per contender (default 3)",
                    "  --warmups N             unmeasured runs per contender first (default 2)",
                    "  --parallelism N         source and fill parallelism (default 1)",
                    "  --state-backend B       hashmap (default) or rocksdb",
                    "  --checkpoint-interval MS  the drain job's checkpoints (default 10000; 0 ="
                            + " none)",
                    "  --smoke                 2000 rows, 20000 updates, 1 run each, no"
                            + " warm-up",
                    "  Without --host a PostgreSQL server is started through the test harness:",
                    "  --postgres-version N    its major version (default 17)",
                    "  With an existing server (CREATE on the database, REPLICATION):",
                    "  --host H --port P --database D --user U [--password W]",
                    "                          creates tables toast_fill, toast_full and their",
                    "                          publications, and drops them at the end");

    static ToastOptions parse(String... args) {
        long rows = 20_000;
        long updates = 500_000;
        int batch = 1000;
        int repetitions = 3;
        // Two: after one, the first measured run of each contender was still up to 2x slower
        // (JIT and heap sizing of the job's operators; tools/README.md).
        int warmups = 2;
        int parallelism = 1;
        String stateBackend = "hashmap";
        long checkpointMillis = 10_000;
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
                case "--rows" -> rows = OptionNumbers.positive(arg, value);
                case "--updates" -> updates = OptionNumbers.positive(arg, value);
                case "--batch" -> batch = (int) OptionNumbers.positive(arg, value);
                case "--repetitions" -> repetitions = (int) OptionNumbers.positive(arg, value);
                case "--warmups" -> warmups = (int) OptionNumbers.nonNegative(arg, value);
                case "--parallelism" -> parallelism = (int) OptionNumbers.positive(arg, value);
                case "--state-backend" -> stateBackend = stateBackend(value);
                case "--checkpoint-interval" ->
                        checkpointMillis = OptionNumbers.nonNegative(arg, value);
                case "--host" -> host = value;
                case "--port" -> port = (int) OptionNumbers.positive(arg, value);
                case "--database" -> database = value;
                case "--user" -> user = value;
                case "--password" -> password = value;
                case "--postgres-version" -> major = (int) OptionNumbers.positive(arg, value);
                default ->
                        throw new IllegalArgumentException(
                                "Unknown option " + arg + "\n\n" + USAGE);
            }
        }
        if (smoke) {
            // Smoke defaults; explicit options still win.
            rows = explicit.contains("--rows") ? rows : 2_000;
            updates = explicit.contains("--updates") ? updates : 20_000;
            repetitions = explicit.contains("--repetitions") ? repetitions : 1;
            warmups = explicit.contains("--warmups") ? warmups : 0;
        }
        return new ToastOptions(
                rows,
                updates,
                batch,
                repetitions,
                warmups,
                parallelism,
                stateBackend,
                checkpointMillis,
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

    private static String stateBackend(String value) {
        if (!value.equals("hashmap") && !value.equals("rocksdb")) {
            throw new IllegalArgumentException(
                    "--state-backend is hashmap or rocksdb, not '" + value + "'");
        }
        return value;
    }

    /** Like the record's, but the password never appears (options may end up in a log line). */
    @Override
    public String toString() {
        return "ToastOptions[host="
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
                + ", updates="
                + updates
                + "]";
    }
}
