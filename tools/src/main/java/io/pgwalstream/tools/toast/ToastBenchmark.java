package io.pgwalstream.tools.toast;

import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.tools.ToolMain;
import io.pgwalstream.tools.drain.BenchDatabase;
import io.pgwalstream.tools.drain.CountingSinkFactory;
import io.pgwalstream.tools.drain.CpuClock;
import io.pgwalstream.tools.drain.SourceDrain;
import io.pgwalstream.tools.drain.StreamWindow;
import io.pgwalstream.tools.toast.ToastRun.Contender;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.util.FileUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What {@code 'types.unchanged-toast' = 'FILL'} costs against REPLICA IDENTITY FULL, the other way
 * to get the values of unchanged TOASTed columns: two tables of the same rows with a 4 KB
 * out-of-line {@code big} column ({@link ToastTables}), updates that change {@code n} only, each
 * table read by pg-walstream's SQL connector as upserts ({@link ToastJob}).
 *
 * <p>One run of a contender, on a slot of its own:
 *
 * <ol>
 *   <li>the snapshot job: {@code 'scan.startup.mode' = 'initial'} reads every row (FILL's state
 *       gets every large value), then one update of row 1 shows that the stream runs; the job is
 *       stopped with a savepoint;
 *   <li>a {@code CHECKPOINT}, then the updates, while no job reads the slot: they wait in the
 *       slot's WAL, and {@code pg_current_wal_lsn()} before and after gives the WAL they wrote;
 *   <li>the drain job, the same statement restored from the savepoint, streams that backlog; the
 *       measured part is from the first update row at the sink to the last, so it is the
 *       connector's (and the walsender's) pace, not the writer's, and not deployment or state
 *       restore.
 * </ol>
 *
 * <p>The sink must receive exactly the updates, every {@code big} value filled in and of its full
 * length. Exit status: 0 done, 1 a run failed or a check did not hold, 2 bad arguments.
 */
public final class ToastBenchmark {

    /** The line before the final table, which tools/bench-toast copies to summary.txt. */
    static final String SUMMARY_MARKER = "== toast benchmark: medians";

    private static final String SLOT_PREFIX = "toast_bench_";

    /** The snapshot job checkpoints often: the stream starts after a checkpoint covered it. */
    private static final long SNAPSHOT_CHECKPOINT_MILLIS = 500;

    private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(15);

    /** After the last expected row, how long no further row may arrive. */
    private static final long QUIET_MILLIS = 1000;

    private ToastBenchmark() {}

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(ToastOptions.USAGE);
            return;
        }
        ToolMain.exit("TOAST benchmark", args, ToastOptions::parse, ToastBenchmark::run);
    }

    static int run(ToastOptions options) throws Exception {
        PgConnectionConfig config =
                BenchDatabase.connect(
                        options.host(),
                        options.port(),
                        options.database(),
                        options.user(),
                        options.password(),
                        options.postgresMajor());
        CpuClock cpu = CpuClock.forThisMachine();
        // Savepoints and checkpoints, a directory per run, deleted when the run ends.
        Path savepoints = Files.createTempDirectory("pgwalstream-toast-bench");
        try (BenchDatabase db = BenchDatabase.open(config);
                ToastTables tables = new ToastTables(db)) {
            say("pg-walstream unchanged-TOAST benchmark%s", options.smoke() ? " (smoke)" : "");
            say(
                    "server:  PostgreSQL %s at %s:%d/%s%s",
                    db.serverVersion(),
                    config.host(),
                    config.port(),
                    config.database(),
                    options.usesHarness() ? " (started by the test harness)" : "");
            say(
                    "client:  pg-walstream SQL on Flink %s (local cluster in this JVM, Java %s, %d"
                            + " CPUs), parallelism %d (sink 1), state backend %s",
                    org.apache.flink.runtime.util.EnvironmentInformation.getVersion(),
                    Runtime.version(),
                    Runtime.getRuntime().availableProcessors(),
                    options.parallelism(),
                    options.stateBackend());
            // As the drain benchmark does: the harness's 64kB would spill every transaction.
            db.setDecodingWorkMem("64MB");
            long w0 = System.nanoTime();
            tables.create(options.rows());
            long w1 = System.nanoTime();
            for (Contender c : Contender.values()) {
                checkTable(tables, c, options.rows());
                say(
                        "table:   %-10s REPLICA IDENTITY %-7s %,d rows, heap %.1f MB, TOAST %.1f"
                                + " MB (%,d values of %,d bytes out of line)",
                        c.table,
                        c.replicaIdentity,
                        options.rows(),
                        tables.heapBytes(c) / 1e6,
                        tables.toastBytes(c) / 1e6,
                        options.rows(),
                        ToastTables.BIG_BYTES);
            }
            say("data:    inserted, VACUUM ANALYZE + CHECKPOINT in %.1f s", (w1 - w0) / 1e9);
            say(
                    "runs:    %d warm-up + %d measured per contender, rotating order; each:"
                        + " snapshot job, savepoint, %,d updates of n in transactions of %,d rows,"
                        + " drain job from the savepoint (checkpoints %s)",
                    options.warmups(),
                    options.repetitions(),
                    options.updates(),
                    options.batch(),
                    options.checkpointMillis() == 0
                            ? "off"
                            : "every " + options.checkpointMillis() + " ms");

            List<ToastRun> runs = new ArrayList<>();
            try (SourceDrain flink = SourceDrain.start(options.parallelism())) {
                List<Contender> contenders = Arrays.asList(Contender.values());
                for (Contender c : contenders) {
                    String plan = new ToastJob(c, config, options, savepoints).explain(flink);
                    say(
                            "plan:    %-15s ChangelogNormalize %s",
                            c.label, plan.contains("ChangelogNormalize") ? "yes" : "no");
                }
                say("");
                say("%s", ToastRun.header());
                int rounds = options.warmups() + options.repetitions();
                for (int i = 0; i < rounds; i++) {
                    boolean warmup = i < options.warmups();
                    int run = warmup ? i + 1 : i - options.warmups() + 1;
                    // Rotate who goes first, so a drift of the machine hits both alike.
                    List<Contender> order = new ArrayList<>(contenders);
                    Collections.rotate(order, -(i % order.size()));
                    for (Contender c : order) {
                        ToastRun r =
                                runOnce(
                                        flink,
                                        config,
                                        c,
                                        tables,
                                        db,
                                        options,
                                        cpu,
                                        savepoints,
                                        run,
                                        warmup);
                        runs.add(r);
                        say("%s", r.line());
                        if (r.checkFailures() > 0) {
                            throw new IllegalStateException(
                                    c.label
                                            + " run "
                                            + r.run()
                                            + ": "
                                            + r.checkFailures()
                                            + " rows reached the sink without their "
                                            + ToastTables.BIG_BYTES
                                            + "-byte big value");
                        }
                    }
                }
            }
            say("");
            say(
                    "check:   every run's sink received exactly the %,d updates, each with its"
                            + " %,d-byte big value",
                    options.updates(), ToastTables.BIG_BYTES);
            say(
                    "snapshot s = the snapshot job's submission to its last snapshot row; write s"
                            + " = the updates (no job running); drain s = first to last update row"
                            + " at the sink; CPU s = this JVM over it; job CPU s = from the drain"
                            + " job's submission (deployment, state restore) to its last row.");
            say("");
            say("%s (load average %s)", SUMMARY_MARKER, CpuClock.loadAverage());
            System.out.print(ToastSummary.table(runs, options.smoke()));
            System.out.flush();
            return 0;
        } finally {
            FileUtils.deleteDirectory(savepoints.toFile());
        }
    }

    private static void checkTable(ToastTables tables, Contender c, long rows) throws Exception {
        long count = tables.countRows(c);
        long full = tables.fullLengthValues(c);
        if (count != rows || full != rows) {
            throw new IllegalStateException(
                    c.table
                            + " holds "
                            + count
                            + " rows, "
                            + full
                            + " of full length, not "
                            + rows);
        }
        String identity = tables.replicaIdentity(c);
        if (!identity.equals(c.replicaIdentity.substring(0, 1).toLowerCase(Locale.ROOT))) {
            throw new IllegalStateException(c.table + " has relreplident " + identity);
        }
        // Stored out of line and uncompressed, every value takes its length in the TOAST table.
        long toast = tables.toastBytes(c);
        if (toast < rows * ToastTables.BIG_BYTES) {
            throw new IllegalStateException(
                    c.table
                            + "'s TOAST table has "
                            + toast
                            + " bytes, less than its "
                            + rows
                            + " values of "
                            + ToastTables.BIG_BYTES
                            + " bytes: they are not all stored out of line");
        }
    }

    private static ToastRun runOnce(
            SourceDrain flink,
            PgConnectionConfig config,
            Contender c,
            ToastTables tables,
            BenchDatabase db,
            ToastOptions options,
            CpuClock cpu,
            Path savepoints,
            int run,
            boolean warmup)
            throws Exception {
        String slot =
                SLOT_PREFIX + c.name().toLowerCase(Locale.ROOT) + "_" + (warmup ? "w" : "") + run;
        long rows = options.rows();
        long updates = options.updates();
        Path directory = savepoints.resolve(slot);
        ToastJob job = new ToastJob(c, config, options, directory);
        try {
            // 1. The snapshot job fills state, shows it streams, and stops with a savepoint.
            CountingSinkFactory.reset();
            long s0 = System.nanoTime();
            JobID snapshot = flink.submit(job.graph(flink, slot, SNAPSHOT_CHECKPOINT_MILLIS, null));
            awaitRows(flink, snapshot, rows, "its snapshot rows");
            long snapshotNanos = System.nanoTime() - s0;
            tables.touchFirstRow(c);
            awaitRows(flink, snapshot, rows + 1, "the update of row 1");
            String savepoint = flink.stopWithSavepoint(snapshot, directory.toUri().toString());
            expectRows("the snapshot job", rows + 1);

            // 2. The backlog: written while no job reads the slot.
            tables.checkpoint();
            long wal0 = tables.currentWalBytes();
            long w0 = System.nanoTime();
            long updated = tables.update(c, rows, updates, options.batch());
            long writeNanos = System.nanoTime() - w0;
            long walBytes = tables.currentWalBytes() - wal0;
            if (updated != updates) {
                throw new IllegalStateException("updated " + updated + " rows, not " + updates);
            }

            // 3. The drain job, restored from the savepoint, streams the backlog.
            CountingSinkFactory.reset();
            long cpu0 = cpu.processNanos();
            JobID drain =
                    flink.submit(job.graph(flink, slot, options.checkpointMillis(), savepoint));
            awaitRows(flink, drain, updates, "the updates");
            long cpu1 = cpu.processNanos();
            // A row beyond the updates (one the savepoint covered, emitted again) would come
            // within milliseconds; none may.
            TimeUnit.MILLISECONDS.sleep(QUIET_MILLIS);
            flink.cancel(drain);
            expectRows("the drain job", updates);
            return new ToastRun(
                    c,
                    run,
                    warmup,
                    updates,
                    snapshotNanos,
                    writeNanos,
                    walBytes,
                    StreamWindow.nanos(),
                    StreamWindow.cpuNanos(),
                    cpu1 - cpu0,
                    CountingSinkFactory.checkFailures());
        } finally {
            db.dropSlotsStartingWith(slot);
            FileUtils.deleteDirectory(directory.toFile());
        }
    }

    /** Waits until the sink has {@code rows} rows; fails if the job ends first or it takes long. */
    private static void awaitRows(SourceDrain flink, JobID job, long rows, String what)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        for (int poll = 0; CountingSinkFactory.rows() < rows; poll++) {
            // Asking the cluster is an RPC: every 50th poll (once a second) is enough.
            if (poll % 50 == 0 && flink.status(job).isGloballyTerminalState()) {
                JobStatus end = flink.awaitEnd(job); // throws if the job failed
                throw new IllegalStateException(
                        "The job ended ("
                                + end
                                + ") before "
                                + what
                                + " arrived: "
                                + CountingSinkFactory.rows()
                                + " of "
                                + rows
                                + " rows");
            }
            if (System.nanoTime() > deadline) {
                flink.cancel(job);
                throw new IllegalStateException(
                        "Timed out waiting for "
                                + what
                                + ": "
                                + CountingSinkFactory.rows()
                                + " of "
                                + rows
                                + " rows");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static void expectRows(String job, long rows) {
        if (CountingSinkFactory.rows() != rows) {
            throw new IllegalStateException(
                    job + "'s sink received " + CountingSinkFactory.rows() + " rows, not " + rows);
        }
    }

    static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
