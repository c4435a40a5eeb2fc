package io.pgwalstream.e2e;

import io.pgwalstream.e2e.changelog.Change;
import io.pgwalstream.e2e.changelog.ChangeWriter;
import io.pgwalstream.e2e.changelog.ChangelogDatabase;
import io.pgwalstream.e2e.changelog.SqlChangelogOutput;
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

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pg-walstream SQL connector as a SQL user runs it: through the SQL Gateway's REST API, {@code
 * ADD JAR} of the shaded SQL jar the reactor built, a {@code 'connector' = 'pg-walstream'} table
 * per PostgreSQL 17 table (REPLICA IDENTITY FULL, so every row kind) and an {@code INSERT INTO} a
 * {@code filesystem} table, while a {@link ChangeWriter} inserts, updates and deletes rows.
 *
 * <p>The sink must take a changelog and show duplicates. The filesystem connector commits its files
 * on checkpoints (exactly once) and accepts every row kind with the {@code debezium-json} format
 * (flink-json, in every distribution's {@code lib/}); the {@code row_kind}, {@code lsn} and {@code
 * xid} metadata columns, written as plain columns, keep each row's kind and transaction.
 * TaskManagers are killed with {@code kill -9}, the job is stopped with a savepoint and the same
 * {@code INSERT} resumed from it through the gateway; in the end the sink holds every row of every
 * committed change once, at its transaction's position ({@link SqlChangelogOutput}).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PostgresSqlGatewayE2ECase {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSqlGatewayE2ECase.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration WRITE_PERIOD = Duration.ofMillis(40);
    private static final String SINK = "changes";

    /** Transactions the writer commits between two steps, so that each step meets new changes. */
    private static final int STEP = 25;

    /** The default case: one kill, one stop-with-savepoint and a resume through the gateway. */
    @EveryFlinkVersion
    void everyChangeOnceThroughATaskManagerKillAndAStopWithSavepoint(
            FlinkCluster cluster, @TempDir Path dir) throws Exception {
        FlinkRestClient rest = cluster.rest();
        ChangelogDatabase db = ChangelogDatabase.create(postgres(), "e2e_sql", 2);
        Path output = dir.resolve("sink");

        try (ChangeWriter writer = ChangeWriter.start(db, 21, WRITE_PERIOD);
                SqlGatewayClient.Session sql = cluster.sqlGateway().openSession("pg-walstream")) {
            createTables(sql, db, output);
            String first = insert(sql, db.tables());
            awaitRunningWithCheckpoint(rest, first);
            writer.awaitMoreTransactions(STEP, TIMEOUT);

            TaskManagerKills.killAndAwaitRecovery(cluster, first, false, TIMEOUT);
            writer.awaitMoreTransactions(STEP, TIMEOUT);

            String savepoint =
                    rest.stopWithSavepoint(first, dir.resolve("savepoints"), false, TIMEOUT);
            rest.awaitState(first, "FINISHED", TIMEOUT);
            Map<String, Integer> atStop =
                    SqlChangelogOutput.read(output).assertPrefixOf(writer.transactions());
            // The slots keep what is written while no job runs.
            writer.awaitMoreTransactions(STEP, TIMEOUT);

            String second = resume(sql, db.tables(), savepoint);
            CheckpointStats restored = awaitRunningWithCheckpoint(rest, second);
            assertThat(restored.restored()).as("restores of the resumed job").isEqualTo(1);
            writer.awaitMoreTransactions(STEP, TIMEOUT);

            writer.stop();
            List<List<Change>> history = writer.transactions();
            SqlChangelogOutput delivered = finish(rest, second, output, history, dir);
            delivered.assertEqualTo(history);
            LOG.info(
                    "{}: {} rows of {} transactions exactly once ({} committed at the stop); {}",
                    cluster.distribution(),
                    SqlChangelogOutput.rowCount(history),
                    history.size(),
                    atStop,
                    delivered);
        }
        db.dropSlots(TIMEOUT);
    }

    /**
     * Two rounds of killing one TaskManager that runs the job, a stop-with-savepoint and resume,
     * then a round of killing every TaskManager.
     */
    @EveryFlinkVersion
    @Tag("slow")
    void everyChangeOnceThroughRepeatedKillsAroundAResume(FlinkCluster cluster, @TempDir Path dir)
            throws Exception {
        FlinkRestClient rest = cluster.rest();
        ChangelogDatabase db = ChangelogDatabase.create(postgres(), "e2e_sql_kills", 2);
        Path output = dir.resolve("sink");

        try (ChangeWriter writer = ChangeWriter.start(db, 22, WRITE_PERIOD);
                SqlGatewayClient.Session sql = cluster.sqlGateway().openSession("pg-walstream")) {
            createTables(sql, db, output);
            String first = insert(sql, db.tables());
            awaitRunningWithCheckpoint(rest, first);
            for (int round = 1; round <= 2; round++) {
                writer.awaitMoreTransactions(STEP, TIMEOUT);
                LOG.info(
                        "Round {} recovered: {}",
                        round,
                        TaskManagerKills.killAndAwaitRecovery(cluster, first, false, TIMEOUT));
            }
            writer.awaitMoreTransactions(STEP, TIMEOUT);
            String savepoint =
                    rest.stopWithSavepoint(first, dir.resolve("savepoints"), false, TIMEOUT);
            rest.awaitState(first, "FINISHED", TIMEOUT);
            SqlChangelogOutput.read(output).assertPrefixOf(writer.transactions());
            writer.awaitMoreTransactions(STEP, TIMEOUT);

            String second = resume(sql, db.tables(), savepoint);
            awaitRunningWithCheckpoint(rest, second);
            writer.awaitMoreTransactions(STEP, TIMEOUT);
            LOG.info(
                    "Every TaskManager killed, recovered: {}",
                    TaskManagerKills.killAndAwaitRecovery(cluster, second, true, TIMEOUT));
            writer.awaitMoreTransactions(STEP, TIMEOUT);

            writer.stop();
            List<List<Change>> history = writer.transactions();
            SqlChangelogOutput delivered = finish(rest, second, output, history, dir);
            delivered.assertEqualTo(history);
            LOG.info(
                    "{}: {} rows of {} transactions exactly once after 3 rounds of kills and a"
                            + " resume; {}",
                    cluster.distribution(),
                    SqlChangelogOutput.rowCount(history),
                    history.size(),
                    delivered);
        }
        db.dropSlots(TIMEOUT);
    }

    private static PostgresServer postgres() {
        return PostgresServers.shared(PostgresVersion.DEFAULT);
    }

    /**
     * {@code ADD JAR} of the SQL jar, the session's settings, one source table per PostgreSQL table
     * (its slot and publication exist already) and the sink.
     */
    private static void createTables(
            SqlGatewayClient.Session sql, ChangelogDatabase db, Path output)
            throws TimeoutException {
        sql.execute("ADD JAR '" + E2EPaths.sqlConnectorJar() + "'");
        sql.execute("SET 'execution.checkpointing.interval' = '1 s'");
        sql.execute("SET 'parallelism.default' = '2'");
        PostgresServer server = db.server();
        for (String table : db.tables()) {
            sql.execute(
                    "CREATE TABLE "
                            + table
                            + " ("
                            + " id INT,"
                            + " v STRING,"
                            + " table_name STRING NOT NULL METADATA FROM 'table_name' VIRTUAL,"
                            + " row_kind STRING NOT NULL METADATA FROM 'row_kind' VIRTUAL,"
                            + " lsn STRING NOT NULL METADATA FROM 'lsn' VIRTUAL,"
                            + " xid BIGINT NOT NULL METADATA FROM 'xid' VIRTUAL"
                            + ") WITH ("
                            + option("connector", "pg-walstream")
                            + option("hostname", server.host())
                            + option("port", Integer.toString(server.port()))
                            + option("username", PostgresServer.SUPERUSER)
                            + option("database-name", db.name())
                            + option("table-name", table)
                            + option("slot.name", db.slot(table))
                            + option("slot.auto-create", "false")
                            // The slots hold every change from the start: stream them all,
                            // no snapshot (the default) first.
                            + option("scan.startup.mode", "committed-offset")
                            + option("publication.name", db.publication(table))
                            + " 'changelog-mode' = 'all')");
        }
        // Row formats roll a part file only by size or time, not on checkpoints: roll every
        // second so that committed rows become visible soon.
        sql.execute(
                "CREATE TABLE "
                        + SINK
                        + " ("
                        + " table_name STRING, row_kind STRING, id INT, v STRING, lsn STRING,"
                        + " xid BIGINT"
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

    /** Every table's rows, kinds and positions into the sink; returns the job id. */
    private static String insert(SqlGatewayClient.Session sql, List<String> tables)
            throws TimeoutException {
        // The Flink tables have the PostgreSQL tables' names.
        String union =
                tables.stream()
                        .map(t -> "SELECT table_name, row_kind, id, v, lsn, xid FROM " + t)
                        .collect(Collectors.joining(" UNION ALL "));
        return sql.execute("INSERT INTO " + SINK + " " + union).insertJobId();
    }

    /** The same {@code INSERT}, restored from {@code savepoint}. */
    private static String resume(
            SqlGatewayClient.Session sql, List<String> tables, String savepoint)
            throws TimeoutException {
        sql.execute("SET 'execution.state-recovery.path' = '" + savepoint + "'");
        String jobId = insert(sql, tables);
        sql.execute("RESET 'execution.state-recovery.path'");
        return jobId;
    }

    /** All tasks running and one checkpoint completed since, so that the job has made progress. */
    private static CheckpointStats awaitRunningWithCheckpoint(FlinkRestClient rest, String jobId)
            throws Exception {
        rest.awaitAllTasksRunning(jobId, TIMEOUT);
        return rest.awaitCheckpointAfter(
                jobId, rest.checkpoints(jobId).latestCompletedId(), TIMEOUT);
    }

    /**
     * Waits until the sink's committed files hold as many rows as the history has, then stops the
     * job with a savepoint and returns the final content. A job that lost rows times out here (with
     * the difference as the failure); one that duplicated rows fails the comparison.
     */
    private static SqlChangelogOutput finish(
            FlinkRestClient rest, String jobId, Path output, List<List<Change>> history, Path dir)
            throws Exception {
        int expected = SqlChangelogOutput.rowCount(history);
        try {
            Waiting.until(
                    expected + " committed rows",
                    TIMEOUT,
                    () -> SqlChangelogOutput.read(output).rows() >= expected,
                    () -> SqlChangelogOutput.read(output) + ", job " + rest.jobState(jobId));
        } catch (TimeoutException e) {
            try {
                SqlChangelogOutput.read(output).assertEqualTo(history);
            } catch (AssertionError difference) {
                difference.addSuppressed(e);
                throw difference;
            }
            throw e;
        }
        rest.stopWithSavepoint(jobId, dir.resolve("final-savepoint"), false, TIMEOUT);
        rest.awaitState(jobId, "FINISHED", TIMEOUT);
        return SqlChangelogOutput.read(output);
    }
}
