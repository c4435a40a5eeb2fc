package io.pgwalstream.e2e;

import io.pgwalstream.e2e.changelog.AccountsChangelog;
import io.pgwalstream.e2e.changelog.AccountsWriter;
import io.pgwalstream.e2e.cluster.E2EPaths;
import io.pgwalstream.e2e.cluster.EveryFlinkVersion;
import io.pgwalstream.e2e.cluster.FlinkCluster;
import io.pgwalstream.e2e.cluster.FlinkRestClient;
import io.pgwalstream.e2e.cluster.FlinkRestClient.CheckpointStats;
import io.pgwalstream.e2e.cluster.SqlGatewayClient;
import io.pgwalstream.e2e.cluster.TaskManagerKills;
import io.pgwalstream.e2e.cluster.Waiting;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresServers;
import io.pgwalstream.testing.postgres.PostgresVersion;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The initial snapshot ({@code 'scan.startup.mode' = 'initial'}) as a SQL user runs it, through the
 * SQL Gateway on a real cluster: a PostgreSQL table of {@value #ROWS} rows is read in chunks of
 * {@value #CHUNK_ROWS} rows at parallelism 2 while an {@link AccountsWriter} changes it, a
 * TaskManager running the job is killed with {@code kill -9} while the snapshot is still being
 * read, and the job goes on into the stream.
 *
 * <p>The output is checked against PostgreSQL, not against the connector: the committed changelog
 * of a {@code filesystem} sink ({@code debezium-json}, so every row kind and every duplicate shows)
 * is replayed strictly in order under PostgreSQL's rules for the writer's statements ({@link
 * AccountsChangelog#replay()}), and the table it builds must be the table PostgreSQL holds at the
 * end. Every row the table held at the snapshot is a snapshot row exactly once, all at the
 * snapshot's LSN, and the temporary slot of the exported snapshot is gone.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PostgresSnapshotE2ECase {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSnapshotE2ECase.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration WRITE_PERIOD = Duration.ofMillis(25);
    private static final String SINK = "changes";

    /**
     * Rows the table holds before the job starts: keys 1 to ROWS. Enough that the snapshot (300k
     * rows took 2.5 s on 2 cores) is still running two checkpoints in, when the TaskManager dies.
     */
    private static final int ROWS = 900_000;

    /** Rows per chunk: {@value #ROWS} / {@value #CHUNK_ROWS} = 40 chunks. */
    private static final int CHUNK_ROWS = 22_500;

    private static final int MIN_CHUNKS = 20;

    /**
     * Inserted once the writer has stopped: when the job has delivered it, it has all before it.
     */
    private static final int MARKER = -1;

    /** Transactions the writer commits after the recovery before it stops. */
    private static final int AFTER_RECOVERY = 40;

    /** The JobManager's log lines the case reads (the connector's enumerator and Flink's). */
    private static final Pattern SNAPSHOT_DONE =
            Pattern.compile(
                    "Initial snapshot of slot group (\\S+) done \\((\\d+) chunks, (\\d+) rows\\)");

    private static final Pattern SNAPSHOT_PROGRESS =
            Pattern.compile(
                    "Initial snapshot of slot group (\\S+): (\\d+ of \\d+ chunks emitted \\(\\d+"
                            + " done\\))");

    private static final Pattern TASK_FAILURE =
            Pattern.compile("switched from RUNNING to FAILED|Reader \\d+ failed");

    @EveryFlinkVersion
    void everyRowOnceAndEveryChangeAfterItThroughAKillMidSnapshot(
            FlinkCluster cluster, @TempDir Path dir) throws Exception {
        long start = System.nanoTime();
        FlinkRestClient rest = cluster.rest();
        PostgresServer pg = postgres();
        String db = pg.createDatabase("e2e_snapshot");
        String slot = db + "_accounts";
        createAccounts(pg, db);
        Path output = dir.resolve("sink");
        Path jobManagerLog = cluster.logDirectory().resolve("jobmanager.log");
        long logOffset = Files.size(jobManagerLog);

        String job;
        CheckpointStats recovered;
        int transactionsAtKill;
        String snapshotLsn;
        Map<String, Integer> operations;
        int committedTransactions;
        int rolledBack;
        try (SqlGatewayClient.Session sql = cluster.sqlGateway().openSession("pg-walstream")) {
            createTables(sql, pg, db, slot, output);
            job =
                    sql.execute(
                                    "INSERT INTO "
                                            + SINK
                                            + " SELECT id, version, from_snapshot, row_kind, lsn,"
                                            + " xid FROM src")
                            .insertJobId();

            // Everything committed from here on is a change after the snapshot.
            Map<String, String> exported = awaitExportedSnapshot(pg, db, slot);
            String temporarySlot = exported.keySet().iterator().next();
            snapshotLsn = exported.get(temporarySlot);
            LOG.info(
                    "Snapshot exported at {} (temporary slot {}) after {} s",
                    snapshotLsn,
                    temporarySlot,
                    seconds(start));

            try (AccountsWriter writer = AccountsWriter.start(pg, db, 41, 1, ROWS, WRITE_PERIOD)) {
                // Early: after the second completed checkpoint, so that the restored one may hold
                // chunks already. The readers emit chunks from about the first one on, and on a
                // busy machine the test reacts slowly. (The sink's committed files show rows only
                // about two checkpoints after they were emitted, which may be after the
                // snapshot's end: too late a signal.)
                CheckpointStats first = rest.awaitCheckpointAfter(job, 1, TIMEOUT);
                // The exported snapshot is still held: the snapshot runs.
                assertThat(temporarySlots(pg, db, slot))
                        .as("the snapshot's temporary slot just before the kill")
                        .containsKey(temporarySlot);
                transactionsAtKill = writer.committedTransactions();
                LOG.info(
                        "Killing a TaskManager after {} s ({} checkpoint(s) completed), {}"
                                + " transactions written",
                        seconds(start),
                        first.completed(),
                        transactionsAtKill);

                recovered = TaskManagerKills.killAndAwaitRecovery(cluster, job, false, TIMEOUT);
                LOG.info("Recovered after {} s: {}", seconds(start), recovered);
                writer.awaitMoreTransactions(AFTER_RECOVERY, TIMEOUT);
                writer.stop();
                operations = writer.committedOperations();
                committedTransactions = writer.committedTransactions();
                rolledBack = writer.rolledBackTransactions();
            }
            try (Connection c = pg.connect(db);
                    Statement s = c.createStatement()) {
                s.execute(
                        "INSERT INTO accounts (id, version, note) VALUES ("
                                + MARKER
                                + ", 0, 'end')");
            }
            Waiting.until(
                    "the marker row in the committed output",
                    TIMEOUT,
                    () -> AccountsChangelog.read(output).hasStreamedInsert(MARKER),
                    () ->
                            AccountsChangelog.read(output)
                                    + ", job "
                                    + rest.jobState(job)
                                    + ", "
                                    + rest.checkpoints(job)
                                    + rest.exceptions(job));
            LOG.info("Marker delivered after {} s", seconds(start));

            // The snapshot is done (the stream delivered the marker): its slot goes with it.
            Waiting.until(
                    "no temporary snapshot slot of " + slot,
                    TIMEOUT,
                    () -> temporarySlots(pg, db, slot).isEmpty(),
                    () -> temporarySlots(pg, db, slot).toString());
            rest.cancel(job);
            rest.awaitState(job, "CANCELED", TIMEOUT);
            assertThat(temporarySlots(pg, db, slot))
                    .as("temporary snapshot slots left after the job")
                    .isEmpty();
        }

        AccountsChangelog changelog = AccountsChangelog.read(output);
        AccountsChangelog.Replay replay = changelog.replay();
        Map<Integer, Integer> table = versions(pg, db);
        Map<Integer, Integer> replayed = new HashMap<>(replay.state());
        assertThat(replayed.remove(MARKER)).as("the marker's version").isEqualTo(0);
        table.remove(MARKER);

        assertThat(replay.problems())
                .as("rows of the committed changelog (%s) that do not fit the table", changelog)
                .isEmpty();
        assertThat(changelog.snapshotRows())
                .as("snapshot rows (the table held %d at the snapshot)", ROWS)
                .isEqualTo(ROWS);
        assertThat(changelog.snapshotLsns())
                .as("the snapshot rows' LSN (the enumerator keeps its exported snapshot)")
                .hasSize(1)
                .allSatisfy(lsn -> assertThat(lsnValue(lsn)).isEqualTo(lsnValue(snapshotLsn)));
        assertThat(changelog.streamedTransactions())
                .as(
                        "streamed transactions (the writer committed %d, then the marker)",
                        committedTransactions)
                .isEqualTo(committedTransactions + 1);
        assertThat(difference(replayed, table))
                .as("the replayed table against SELECT id, version FROM accounts")
                .isEmpty();

        String log = readFrom(jobManagerLog, logOffset);
        SnapshotEnd end = snapshotEnd(log, slot);
        assertThat(end.chunks()).as("chunks").isGreaterThanOrEqualTo(MIN_CHUNKS);
        // Not asserted: the enumerator's row count also counts the chunks read again after the
        // kill (e.g. 345000 rows of this 300000-row table); the sink's count, above, is right.
        assertThat(end.afterTaskFailure())
                .as("the snapshot ended after the killed TaskManager's tasks failed")
                .isTrue();

        assertThat(recovered.restored()).as("restores").isGreaterThanOrEqualTo(1);
        LOG.info(
                "{}: {} snapshot rows in {} chunks exactly once, then {} transactions ({}; {}"
                        + " rolled back); the kill came after {} transactions, the enumerator's"
                        + " last progress before it: {}; {} restore(s); replay {}; the enumerator"
                        + " counted {} rows; {} s",
                cluster.distribution(),
                changelog.snapshotRows(),
                end.chunks(),
                committedTransactions,
                operations,
                rolledBack,
                transactionsAtKill,
                end.committedBeforeFailure(),
                recovered.restored(),
                replay.counts(),
                end.rows(),
                seconds(start));
        dropSlot(pg, db, slot);
    }

    /**
     * {@code accounts} with keys 1 to {@value #ROWS} and versions 0 to 4, REPLICA IDENTITY FULL,
     * and its publication. The job's source creates the slot.
     */
    private static void createAccounts(PostgresServer pg, String db) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE accounts (id int PRIMARY KEY, version int NOT NULL, note text)");
            s.execute("ALTER TABLE accounts REPLICA IDENTITY FULL");
            s.execute(
                    "INSERT INTO accounts SELECT g, g % 5, repeat(md5(g::text), 3)"
                            + " FROM generate_series(1, "
                            + ROWS
                            + ") g");
            s.execute("CREATE PUBLICATION pub_accounts FOR TABLE accounts");
            s.execute("ANALYZE accounts");
        }
    }

    private static void createTables(
            SqlGatewayClient.Session sql, PostgresServer pg, String db, String slot, Path output)
            throws TimeoutException {
        sql.execute("ADD JAR '" + E2EPaths.sqlConnectorJar() + "'");
        sql.execute("SET 'execution.checkpointing.interval' = '1 s'");
        sql.execute("SET 'parallelism.default' = '2'");
        sql.execute(
                "CREATE TABLE src ("
                        + " id INT,"
                        + " version INT,"
                        + " note STRING,"
                        + " from_snapshot BOOLEAN NOT NULL METADATA FROM 'from_snapshot' VIRTUAL,"
                        + " row_kind STRING NOT NULL METADATA FROM 'row_kind' VIRTUAL,"
                        + " lsn STRING NOT NULL METADATA FROM 'lsn' VIRTUAL,"
                        + " xid BIGINT NOT NULL METADATA FROM 'xid' VIRTUAL"
                        + ") WITH ("
                        + option("connector", "pg-walstream")
                        + option("hostname", pg.host())
                        + option("port", Integer.toString(pg.port()))
                        + option("username", PostgresServer.SUPERUSER)
                        + option("database-name", db)
                        + option("table-name", "accounts")
                        + option("slot.name", slot)
                        + option("slot.auto-create", "true")
                        + option("publication.name", "pub_accounts")
                        + option("changelog-mode", "all")
                        + option("scan.startup.mode", "initial")
                        + " 'scan.incremental.snapshot.chunk.size' = '"
                        + CHUNK_ROWS
                        + "')");
        // Row formats roll a part file only by size or time: every second, so that committed
        // rows show up soon.
        sql.execute(
                "CREATE TABLE "
                        + SINK
                        + " ("
                        + " id INT, version INT, from_snapshot BOOLEAN, row_kind STRING,"
                        + " lsn STRING, xid BIGINT"
                        + ") WITH ("
                        + option("connector", "filesystem")
                        + option("path", output.toUri().toString())
                        + option("format", "debezium-json")
                        + option("sink.rolling-policy.rollover-interval", "1 s")
                        + " 'sink.rolling-policy.check-interval' = '1 s')");
    }

    private static String option(String key, String value) {
        return " '" + key + "' = '" + value + "',";
    }

    /**
     * Waits until the enumerator has exported its snapshot: a temporary slot {@code <slot>_snap_…}
     * at a consistent point (its {@code confirmed_flush_lsn}). Returns its name and that LSN.
     */
    private static Map<String, String> awaitExportedSnapshot(
            PostgresServer pg, String db, String slot) throws TimeoutException {
        return Waiting.until(
                "the exported snapshot's temporary slot " + slot + "_snap_…",
                TIMEOUT,
                () -> {
                    Map<String, String> slots = temporarySlots(pg, db, slot);
                    if (slots.size() > 1) {
                        throw new AssertionError("More than one exported snapshot: " + slots);
                    }
                    return slots.values().stream().allMatch(lsn -> lsn != null)
                            ? Optional.of(slots).filter(m -> !m.isEmpty())
                            : Optional.empty();
                });
    }

    /** The temporary snapshot slots of {@code slot}: name and {@code confirmed_flush_lsn}. */
    private static Map<String, String> temporarySlots(PostgresServer pg, String db, String slot) {
        Map<String, String> slots = new LinkedHashMap<>();
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT slot_name, confirmed_flush_lsn::text, temporary"
                                        + " FROM pg_replication_slots ORDER BY slot_name")) {
            while (rs.next()) {
                if (rs.getString(1).startsWith(slot + "_snap_")) {
                    if (!rs.getBoolean(3)) {
                        throw new AssertionError("Not a temporary slot: " + rs.getString(1));
                    }
                    slots.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot list the replication slots", e);
        }
        return slots;
    }

    private static Map<Integer, Integer> versions(PostgresServer pg, String db)
            throws SQLException {
        Map<Integer, Integer> versions = new HashMap<>();
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, version FROM accounts")) {
            while (rs.next()) {
                versions.put(rs.getInt(1), rs.getInt(2));
            }
        }
        return versions;
    }

    /** The first keys where the two tables differ, as {@code key: replayed vs table}. */
    private static List<String> difference(
            Map<Integer, Integer> replayed, Map<Integer, Integer> table) {
        TreeSet<Integer> keys = new TreeSet<>(replayed.keySet());
        keys.addAll(table.keySet());
        return keys.stream()
                .filter(k -> !Objects.equals(replayed.get(k), table.get(k)))
                .limit(10)
                .map(k -> k + ": replayed " + replayed.get(k) + " vs table " + table.get(k))
                .toList();
    }

    /**
     * How the enumerator ended the snapshot, from the JobManager's log since the case started.
     *
     * @param afterTaskFailure whether a task failure (the kill) is logged before the end
     * @param committedBeforeFailure the enumerator's last progress line before the failure
     */
    private record SnapshotEnd(
            int chunks, long rows, boolean afterTaskFailure, String committedBeforeFailure) {}

    private static SnapshotEnd snapshotEnd(String log, String slot) {
        boolean failed = false;
        String progress = "no progress logged";
        for (String line : log.split("\\n")) {
            if (TASK_FAILURE.matcher(line).find()) {
                failed = true;
            }
            Matcher step = SNAPSHOT_PROGRESS.matcher(line);
            if (!failed && step.find() && step.group(1).equals(slot)) {
                progress = step.group(2);
            }
            Matcher done = SNAPSHOT_DONE.matcher(line);
            if (done.find() && done.group(1).equals(slot)) {
                return new SnapshotEnd(
                        Integer.parseInt(done.group(2)),
                        Long.parseLong(done.group(3)),
                        failed,
                        progress);
            }
        }
        throw new AssertionError(
                "The JobManager's log does not say that the snapshot of " + slot + " ended");
    }

    private static String readFrom(Path file, long offset) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
    }

    private static long lsnValue(String lsn) {
        int slash = lsn.indexOf('/');
        return Long.parseLong(lsn.substring(0, slash), 16) << 32
                | Long.parseLong(lsn.substring(slash + 1), 16);
    }

    /** Drops the job's slot once no walsender holds it, so that the shared server keeps no WAL. */
    private static void dropSlot(PostgresServer pg, String db, String slot)
            throws TimeoutException, SQLException {
        Waiting.until(
                "slot " + slot + " to be released",
                TIMEOUT,
                () -> {
                    try (Connection c = pg.connect(db);
                            Statement s = c.createStatement();
                            ResultSet rs =
                                    s.executeQuery(
                                            "SELECT active FROM pg_replication_slots"
                                                    + " WHERE slot_name = '"
                                                    + slot
                                                    + "'")) {
                        return rs.next() && !rs.getBoolean(1);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    private static PostgresServer postgres() {
        return PostgresServers.shared(PostgresVersion.DEFAULT);
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e8) / 10.0;
    }
}
