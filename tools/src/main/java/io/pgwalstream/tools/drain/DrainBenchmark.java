package io.pgwalstream.tools.drain;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.tools.ToolMain;
import io.pgwalstream.tools.drain.DrainOptions.Workload;
import io.pgwalstream.tools.drain.RunResult.Contender;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How fast pg-walstream's replication client drains a slot compared with PostgreSQL's own
 * pg_recvlogical, on the same WAL: N rows are written once after one slot per run was created, then
 * every run drains its own slot to the same end position. Both contenders only receive (framing, no
 * tuple decoding) and acknowledge nothing, so what is compared is the client's transport: the
 * walsender decodes the same WAL for both.
 *
 * <p>Prints one line per run and a median table (rows/s, MB/s of pgoutput payload, client CPU per
 * million rows, ratio). Runs alternate which contender goes first. The first pg_recvlogical run (a
 * warm-up unless there is none) writes to a file whose size must equal what pg-walstream received,
 * and every pg-walstream run must see exactly N Inserts.
 *
 * <p>Exit status: 0 done, 1 a run failed or a check did not hold, 2 bad arguments or no
 * pg_recvlogical.
 */
public final class DrainBenchmark {

    private DrainBenchmark() {}

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(DrainOptions.USAGE);
            return;
        }
        ToolMain.exit("Drain benchmark", args, DrainOptions::parse, DrainBenchmark::run);
    }

    static int run(DrainOptions options) throws Exception {
        PgRecvLogical recvLogical = null;
        if (!options.onlyPgWalstream()) {
            try {
                recvLogical = PgRecvLogical.locate(options.pgRecvLogical());
            } catch (IllegalStateException e) {
                System.err.println(e.getMessage());
                return 2;
            }
        }
        PostgresCdc postgresCdc = null;
        if (options.postgresCdcJar() != null && !options.onlyPgWalstream()) {
            postgresCdc = new PostgresCdc(options.postgresCdcJar());
        }
        boolean withSource = options.withSource() && !options.onlyPgWalstream();
        boolean withSql = options.withSql() && !options.onlyPgWalstream();
        PgConnectionConfig config = connect(options);
        CpuClock cpu = CpuClock.forThisMachine();
        try (BenchDatabase db = BenchDatabase.open(config)) {
            int versionNum = db.serverVersionNum();
            int proto = BenchDatabase.maxProtoVersion(versionNum);
            PgOutputOptions pgOutput = PgOutputOptions.of(proto).withBinary(options.binary());
            if (options.decodingWorkMem() != null) {
                db.setDecodingWorkMem(options.decodingWorkMem());
            }
            say("pg-walstream drain benchmark%s", options.smoke() ? " (smoke)" : "");
            say(
                    "server:  PostgreSQL %s at %s:%d/%s%s; walsender logical_decoding_work_mem %s",
                    db.serverVersion(),
                    config.host(),
                    config.port(),
                    config.database(),
                    options.usesHarness() ? " (started by the test harness)" : "",
                    db.walsenderSetting("logical_decoding_work_mem"));
            if (recvLogical != null) {
                say("clients: %s (%s)", recvLogical.version(), recvLogical.binary());
            } else {
                say("clients: pg-walstream only (--only-pg-walstream): no comparison");
            }
            say(
                    "         pg-walstream ReplicationSession on Java %s, %d CPUs",
                    Runtime.version(), Runtime.getRuntime().availableProcessors());
            if (withSource || withSql) {
                say(
                        "         pg-walstream %s on Flink %s (local cluster in this JVM)",
                        withSource && withSql ? "source and SQL" : withSql ? "SQL" : "source",
                        org.apache.flink.runtime.util.EnvironmentInformation.getVersion());
            }
            if (postgresCdc != null) {
                say(
                        "         postgres-cdc 3.5.0 on Flink 1.20.3, child JVM: %s%s",
                        postgresCdc.jar(),
                        options.binary()
                                ? " (streams text: Debezium asks for no binary pgoutput)"
                                : "");
            }
            say(
                    "stream:  pgoutput proto_version %d, binary %s, publication %s",
                    proto, options.binary(), BenchDatabase.PUBLICATION);

            db.createObjects(options.workload().table());
            if (options.workload() == Workload.UPDATES) {
                // The rows to update exist before the slots: only the updates are drained.
                db.writeRows(options.rows(), options.rowsPerTransaction());
            }
            List<String> recvSlots = new ArrayList<>();
            List<String> sessionSlots = new ArrayList<>();
            List<String> sourceSlots = new ArrayList<>();
            List<String> sqlSlots = new ArrayList<>();
            List<String> cdcSlots = new ArrayList<>();
            for (int i = 1; i <= options.slotsPerContender(); i++) {
                if (recvLogical != null) {
                    recvSlots.add(db.createSlot("recvlogical_" + i));
                }
                sessionSlots.add(db.createSlot("walstream_" + i));
                if (withSource) {
                    sourceSlots.add(db.createSlot("source_" + i));
                }
                if (withSql) {
                    sqlSlots.add(db.createSlot("sql_" + i));
                }
                // postgres-cdc starts a new JVM every run: a warm-up would warm nothing of it.
                boolean cdcWarmup = i <= options.warmups();
                if (postgresCdc != null && !cdcWarmup) {
                    cdcSlots.add(db.createSlot("cdc_" + i));
                } else {
                    cdcSlots.add(null);
                }
            }
            long w0 = System.nanoTime();
            if (options.workload() == Workload.UPDATES) {
                db.updateRows(options.rows(), options.rowsPerTransaction());
            } else {
                db.writeRows(options.rows(), options.rowsPerTransaction());
            }
            Lsn end = db.endData();
            say(
                    "data:    %,d %s rows %s in %,d-row transactions, written in %.2f s; end LSN"
                            + " %s",
                    options.rows(),
                    options.workload() == Workload.WIDE ? "30-column" : "7-column",
                    options.workload() == Workload.UPDATES ? "updated" : "inserted",
                    options.rowsPerTransaction(),
                    (System.nanoTime() - w0) / 1e9,
                    end);
            say(
                    "runs:    %d warm-up + %d measured per contender, each on its own slot%s",
                    options.warmups(),
                    options.repetitions(),
                    postgresCdc != null && options.warmups() > 0
                            ? " (postgres-cdc: no warm-up, each run is a new JVM)"
                            : "");
            List<Contender> contenders = new ArrayList<>(List.of(Contender.PG_WALSTREAM));
            if (withSource) {
                contenders.add(Contender.FLINK_SOURCE);
            }
            if (withSql) {
                contenders.add(Contender.SQL);
            }
            if (postgresCdc != null) {
                contenders.add(Contender.POSTGRES_CDC);
            }
            if (recvLogical != null) {
                contenders.add(1, Contender.PG_RECVLOGICAL);
            }
            Path checkFile = Files.createTempFile("pgwalstream-bench-recvlogical-", ".out");
            Checks checks = new Checks(options.rows(), checkFile);
            DrainReport report = null;
            try (SourceDrain flink = withSource || withSql ? SourceDrain.start() : null) {
                SqlDrain sql = withSql ? new SqlDrain(flink, options.workload().table()) : null;
                if (sql == null) {
                    say("");
                    say("%s", DrainReport.header());
                } else {
                    String plan = sql.explain(config, sqlSlots.get(0), options.binary(), end);
                    say(
                            "sql:     INSERT INTO a counting blackhole table; the planner %s",
                            plan.contains("ChangelogNormalize")
                                    ? "adds ChangelogNormalize (upsert source: keyed state)"
                                    : "adds no operator between source and sink");
                    say("");
                    say("%s", DrainReport.header());
                }
                for (int i = 0; i < options.slotsPerContender(); i++) {
                    boolean warmup = i < options.warmups();
                    int run = warmup ? i + 1 : i - options.warmups() + 1;
                    // Rotate who goes first, so a drift of the machine hits all alike.
                    // pg-walstream starts, so the stream's size is known for the first line.
                    List<Contender> order = new ArrayList<>(contenders);
                    Collections.rotate(order, -(i % order.size()));
                    for (Contender contender : order) {
                        RunResult r;
                        if (contender == Contender.POSTGRES_CDC && warmup) {
                            continue;
                        }
                        if (contender == Contender.POSTGRES_CDC) {
                            r =
                                    postgresCdc.drain(
                                            config,
                                            cdcSlots.get(i),
                                            options.rows(),
                                            cpu,
                                            run,
                                            false);
                            db.dropSlot(cdcSlots.get(i));
                            checks.rowsDone(r);
                        } else if (contender == Contender.SQL) {
                            r =
                                    sql.drain(
                                            config,
                                            sqlSlots.get(i),
                                            options.binary(),
                                            end,
                                            cpu,
                                            run,
                                            warmup);
                            db.dropSlot(sqlSlots.get(i));
                            checks.rowsDone(r);
                        } else if (contender == Contender.PG_WALSTREAM) {
                            r =
                                    SessionDrain.drain(
                                            config,
                                            sessionSlots.get(i),
                                            pgOutput,
                                            end,
                                            cpu,
                                            run,
                                            warmup);
                            db.dropSlot(sessionSlots.get(i));
                            checks.sessionDone(r);
                        } else if (contender == Contender.FLINK_SOURCE) {
                            r =
                                    flink.drain(
                                            config,
                                            sourceSlots.get(i),
                                            options.binary(),
                                            end,
                                            cpu,
                                            run,
                                            warmup);
                            db.dropSlot(sourceSlots.get(i));
                            checks.rowsDone(r);
                        } else {
                            Path out = checks.recvOutput();
                            r =
                                    recvLogical.drain(
                                            config,
                                            recvSlots.get(i),
                                            proto,
                                            options.binary(),
                                            end,
                                            out,
                                            cpu,
                                            run,
                                            warmup);
                            db.dropSlot(recvSlots.get(i));
                            checks.recvDone(out);
                        }
                        if (report == null) {
                            report =
                                    new DrainReport(options.rows(), checks.stream().payloadBytes());
                        }
                        report.add(r);
                        say("%s", report.line(r));
                    }
                    checks.verifyFile();
                }
            } finally {
                Files.deleteIfExists(checkFile);
            }
            RunResult stream = checks.stream();
            say("");
            say(
                    "each run: %,d XLogData messages, %,d row changes, %.1f MB of pgoutput payload",
                    stream.messages(), stream.rowChanges(), stream.payloadBytes() / 1e6);
            say("%s", checks.fileCheck());
            say("");
            System.out.print(report.summary(options.smoke()));
            say(
                    "CPU: pg_recvlogical = its process; pg-walstream, src and sql = the whole JVM"
                            + " during the run (I/O + consumer threads, GC, JIT; for src and sql"
                            + " also the local Flink cluster); postgres-cdc = its JVM from job"
                            + " submission to the last row (its whole process, start-up included,"
                            + " in the run lines' threads CPU column).");
            say(
                    "Peak RSS: pg_recvlogical and postgres-cdc = the child process's VmHWM; the"
                            + " others = this JVM's VmHWM during the run (reset after a full GC"
                            + " before it), which includes the local Flink cluster.");
            say(
                    "Wall: pg_recvlogical, pg-walstream = connect to end position; src = job"
                            + " submission to job end; sql = planning + submission to job end;"
                            + " postgres-cdc = job submission to its N-th row (its cluster was"
                            + " started before).");
            if (options.results() != null) {
                Files.writeString(
                        options.results(),
                        report.results(
                                options.workloadLabel(), options.binary() ? "binary" : "text"),
                        java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            }
            return 0;
        }
    }

    private static PgConnectionConfig connect(DrainOptions options) {
        return BenchDatabase.connect(
                options.host(),
                options.port(),
                options.database(),
                options.user(),
                options.password(),
                options.postgresMajor());
    }

    static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    /**
     * What must hold for the numbers to mean anything: every pg-walstream run consumed the same
     * stream with exactly N Inserts, and pg_recvlogical's first output holds the same bytes (its
     * file is the payloads, each followed by a newline).
     */
    private static final class Checks {
        private final long rows;
        private final Path file;
        private RunResult stream;
        private long fileSize = -1;
        private boolean fileChecked;

        Checks(long rows, Path file) {
            this.rows = rows;
            this.file = file;
        }

        /** The first pg_recvlogical run writes the check file; the others /dev/null. */
        Path recvOutput() {
            return fileSize < 0 ? file : Path.of("/dev/null");
        }

        void recvDone(Path output) throws java.io.IOException {
            if (output.equals(file)) {
                fileSize = Files.size(file);
            }
        }

        void sessionDone(RunResult r) {
            rowsDone(r);
            if (stream == null) {
                stream = r;
            } else if (r.messages() != stream.messages()
                    || r.payloadBytes() != stream.payloadBytes()) {
                throw new IllegalStateException(
                        "pg-walstream runs differ: "
                                + r.messages()
                                + " messages / "
                                + r.payloadBytes()
                                + " bytes vs "
                                + stream.messages()
                                + " / "
                                + stream.payloadBytes()
                                + " (did a concurrent catalog change make the server resend a"
                                + " Relation message?)");
            }
        }

        /** Every run must see exactly the rows written. */
        void rowsDone(RunResult r) {
            if (r.rowChanges() != rows) {
                throw new IllegalStateException(
                        r.contender().label
                                + " run "
                                + r.run()
                                + " saw "
                                + r.rowChanges()
                                + " row changes, not "
                                + rows);
            }
        }

        void verifyFile() {
            if (fileChecked || fileSize < 0 || stream == null) {
                return;
            }
            long expected = stream.payloadBytes() + stream.messages();
            if (fileSize != expected) {
                throw new IllegalStateException(
                        "pg_recvlogical wrote "
                                + fileSize
                                + " bytes, but pg-walstream received "
                                + stream.payloadBytes()
                                + " payload bytes in "
                                + stream.messages()
                                + " messages (expected "
                                + expected
                                + " with newlines): the contenders did not drain the same"
                                + " stream");
            }
            fileChecked = true;
        }

        String fileCheck() {
            return fileChecked
                    ? String.format(
                            Locale.ROOT,
                            "check:   pg_recvlogical's first run wrote %,d bytes = the same"
                                    + " payloads + one newline each",
                            fileSize)
                    : "check:   pg_recvlogical output not compared";
        }

        RunResult stream() {
            return stream;
        }
    }
}
