package io.pgwalstream.tools.snapshot;

import io.pgwalstream.flink.source.PgWalStreamSource;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.tools.ToolMain;
import io.pgwalstream.tools.drain.BenchDatabase;
import io.pgwalstream.tools.drain.BenchRowDataDeserializer;
import io.pgwalstream.tools.drain.BenchTable;
import io.pgwalstream.tools.drain.CpuClock;
import io.pgwalstream.tools.drain.PeakRss;
import io.pgwalstream.tools.drain.PostgresCdc;
import io.pgwalstream.tools.drain.SourceDrain;
import io.pgwalstream.tools.snapshot.SnapshotRun.Contender;
import io.pgwalstream.tools.snapshot.SnapshotRun.Key;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.data.RowData;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How fast pg-walstream's initial snapshot reads a table, against the server's own limit and
 * against Flink CDC: table {@code bench} (the 7-column row) is filled once and vacuumed, then each
 * contender reads it whole, in rotating order:
 *
 * <ul>
 *   <li>COPY drain — binary COPY of every column on one connection into nothing ({@link
 *       CopyDrain});
 *   <li>pg-walstream pN — {@link PgWalStreamSource} with {@code snapshotOnly()} (bounded: one
 *       exported snapshot from a temporary slot, chunks of {@code --chunk-rows} by primary key read
 *       by every reader with binary COPY), every row to {@link RowData} into a discarding sink, at
 *       parallelism N on the local Flink cluster in this JVM;
 *   <li>postgres-cdc pN — Flink CDC 3.5.0's incremental source with {@code
 *       StartupOptions.snapshot()}, {@code splitSize(--chunk-rows)}, counting Debezium records, in
 *       a child JVM on Flink 1.20.3 ({@link PostgresCdc#snapshot}).
 * </ul>
 *
 * <p>Every run must see exactly the table's rows. Exit status: 0 done, 1 a run failed or a check
 * did not hold, 2 bad arguments.
 */
public final class SnapshotBenchmark {

    /** The line before the final table, which tools/bench-snapshot copies to summary.txt. */
    static final String SUMMARY_MARKER = "== snapshot benchmark: medians";

    private static final String SNAPSHOT_GROUP = "bench_snapshot";
    private static final String CDC_SLOT_PREFIX = "bench_cdcsnap_";

    private SnapshotBenchmark() {}

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(SnapshotOptions.USAGE);
            return;
        }
        ToolMain.exit("Snapshot benchmark", args, SnapshotOptions::parse, SnapshotBenchmark::run);
    }

    static int run(SnapshotOptions options) throws Exception {
        PostgresCdc postgresCdc =
                options.postgresCdcJar() == null ? null : new PostgresCdc(options.postgresCdcJar());
        PgConnectionConfig config =
                BenchDatabase.connect(
                        options.host(),
                        options.port(),
                        options.database(),
                        options.user(),
                        options.password(),
                        options.postgresMajor());
        CpuClock cpu = CpuClock.forThisMachine();
        BenchTable table = BenchTable.NARROW;
        try (BenchDatabase db = BenchDatabase.open(config)) {
            say("pg-walstream snapshot benchmark%s", options.smoke() ? " (smoke)" : "");
            say(
                    "server:  PostgreSQL %s at %s:%d/%s%s",
                    db.serverVersion(),
                    config.host(),
                    config.port(),
                    config.database(),
                    options.usesHarness() ? " (started by the test harness)" : "");
            say(
                    "clients: COPY drain (pgjdbc CopyManager) and pg-walstream on Flink %s (local"
                            + " cluster in this JVM, Java %s, %d CPUs)",
                    org.apache.flink.runtime.util.EnvironmentInformation.getVersion(),
                    Runtime.version(),
                    Runtime.getRuntime().availableProcessors());
            if (postgresCdc != null) {
                say(
                        "         postgres-cdc 3.5.0 on Flink 1.20.3, child JVM: %s",
                        postgresCdc.jar());
            } else {
                say("         postgres-cdc: not run (no --postgres-cdc JAR)");
            }
            db.createObjects(table);
            long w0 = System.nanoTime();
            db.writeRows(options.rows(), 100_000);
            long w1 = System.nanoTime();
            db.vacuumAnalyze();
            long w2 = System.nanoTime();
            long rows = db.countRows();
            if (rows != options.rows()) {
                throw new IllegalStateException(
                        "bench holds " + rows + " rows, not " + options.rows());
            }
            say(
                    "data:    %,d 7-column rows (%.0f MB heap) inserted in %.1f s; VACUUM ANALYZE"
                            + " + CHECKPOINT %.1f s",
                    rows, db.tableBytes() / 1e6, (w1 - w0) / 1e9, (w2 - w1) / 1e9);
            say("copy:    %s", CopyDrain.query(table));
            say(
                    "runs:    %d warm-up + %d measured per contender%s; chunks / splits of %d rows;"
                            + " pg-walstream at parallelism %s, postgres-cdc at %s",
                    options.warmups(),
                    options.repetitions(),
                    postgresCdc != null && options.warmups() > 0
                            ? " (postgres-cdc: no warm-up, each run is a new JVM)"
                            : "",
                    options.chunkRows(),
                    options.parallelisms(),
                    postgresCdc == null ? "-" : options.cdcParallelisms());

            List<Key> contenders = new ArrayList<>();
            contenders.add(new Key(Contender.COPY, 1));
            for (int p : options.parallelisms()) {
                contenders.add(new Key(Contender.PG_WALSTREAM, p));
            }
            if (postgresCdc != null) {
                for (int p : options.cdcParallelisms()) {
                    contenders.add(new Key(Contender.POSTGRES_CDC, p));
                }
            }
            List<SnapshotRun> runs = new ArrayList<>();
            try (SourceDrain flink = SourceDrain.start(options.maxParallelism())) {
                say("");
                say("%s", SnapshotRun.header());
                int rounds = options.warmups() + options.repetitions();
                for (int i = 0; i < rounds; i++) {
                    boolean warmup = i < options.warmups();
                    int run = warmup ? i + 1 : i - options.warmups() + 1;
                    // Rotate who goes first, so a drift of the machine hits all alike.
                    List<Key> order = new ArrayList<>(contenders);
                    Collections.rotate(order, -(i % order.size()));
                    for (Key key : order) {
                        SnapshotRun r;
                        switch (key.contender()) {
                            case COPY -> r = CopyDrain.run(config, table, rows, cpu, run, warmup);
                            case PG_WALSTREAM ->
                                    r =
                                            pgWalstream(
                                                    flink,
                                                    config,
                                                    key.parallelism(),
                                                    options.chunkRows(),
                                                    cpu,
                                                    run,
                                                    warmup);
                            default -> {
                                if (warmup) {
                                    continue;
                                }
                                r =
                                        postgresCdc(
                                                postgresCdc,
                                                db,
                                                config,
                                                rows,
                                                key.parallelism(),
                                                options.chunkRows(),
                                                cpu,
                                                run);
                            }
                        }
                        if (r.rows() != rows) {
                            throw new IllegalStateException(
                                    key.label()
                                            + " run "
                                            + r.run()
                                            + " saw "
                                            + r.rows()
                                            + " rows, not "
                                            + rows);
                        }
                        runs.add(r);
                        say("%s", r.line());
                    }
                }
            }
            say("");
            say("check:   every run saw exactly %,d rows", rows);
            say(
                    "CPU: COPY drain and pg-walstream = this JVM's process during the run (for"
                            + " pg-walstream with the local Flink cluster); postgres-cdc = its"
                            + " JVM from job submission to job end. The server's CPU is not"
                            + " counted.");
            say(
                    "Peak RSS: this JVM's VmHWM during the run (reset after a full GC before it;"
                            + " includes the local Flink cluster) / postgres-cdc's process's.");
            say(
                    "Wall: COPY = connect to the last byte; pg-walstream, postgres-cdc = job"
                            + " submission to job end (their clusters run already). 1st row s ="
                            + " to the first row (deployment, snapshot export, chunk planning).");
            say("");
            say("%s (load average %s)", SUMMARY_MARKER, CpuClock.loadAverage());
            System.out.print(SnapshotSummary.table(rows, runs, options.smoke()));
            System.out.flush();
            return 0;
        }
    }

    /** pg-walstream's bounded snapshot of {@code bench} at {@code parallelism}. */
    private static SnapshotRun pgWalstream(
            SourceDrain flink,
            PgConnectionConfig config,
            int parallelism,
            int chunkRows,
            CpuClock cpu,
            int run,
            boolean warmup)
            throws Exception {
        StreamExecutionEnvironment env = flink.environment(parallelism);
        PgWalStreamSource<RowData> source =
                PgWalStreamSource.<RowData>builder()
                        .connection(config)
                        .slotGroup(
                                SNAPSHOT_GROUP,
                                BenchDatabase.PUBLICATION,
                                List.of(TableName.of("public", BenchDatabase.TABLE)))
                        .snapshotOnly()
                        .snapshotChunks(chunkRows, null)
                        .deserializer(BenchRowDataDeserializer.withoutStreamWindow())
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "pg-walstream snapshot")
                .sinkTo(new DiscardingSink<>());
        BenchRowDataDeserializer.reset();
        boolean rss = PeakRss.resetSelf();
        long cpu0 = cpu.processNanos();
        long t0 = System.nanoTime();
        flink.execute(env, "snapshot p" + parallelism);
        long t1 = System.nanoTime();
        long cpu1 = cpu.processNanos();
        long first = BenchRowDataDeserializer.firstRowNanos();
        return new SnapshotRun(
                Contender.PG_WALSTREAM,
                parallelism,
                run,
                warmup,
                t1 - t0,
                cpu1 - cpu0,
                first == 0 ? -1 : first - t0,
                BenchRowDataDeserializer.rows(),
                -1,
                rss ? PeakRss.selfKb() : -1);
    }

    /** postgres-cdc's bounded snapshot in its child JVM; drops the slots it created. */
    private static SnapshotRun postgresCdc(
            PostgresCdc postgresCdc,
            BenchDatabase db,
            PgConnectionConfig config,
            long rows,
            int parallelism,
            int chunkRows,
            CpuClock cpu,
            int run)
            throws Exception {
        String slot = CDC_SLOT_PREFIX + run + "_p" + parallelism;
        try {
            Map<String, Long> result =
                    postgresCdc.snapshot(config, slot, rows, parallelism, chunkRows, cpu).result();
            return new SnapshotRun(
                    Contender.POSTGRES_CDC,
                    parallelism,
                    run,
                    false,
                    result.get("wall_ns"),
                    result.get("cpu_ns"),
                    result.getOrDefault("first_row_ns", -1L),
                    result.get("rows"),
                    -1,
                    result.get("peak_rss_kb"));
        } finally {
            db.dropSlotsStartingWith(slot);
        }
    }

    static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
