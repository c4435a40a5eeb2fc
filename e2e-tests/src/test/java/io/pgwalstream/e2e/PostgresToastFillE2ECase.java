package io.pgwalstream.e2e;

import io.pgwalstream.e2e.changelog.ChangelogDatabase;
import io.pgwalstream.e2e.changelog.DocsWriter;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unchanged-TOAST fill ({@code 'types.unchanged-toast' = 'FILL'}, the default of upsert tables,
 * see {@code docs/toast.md}) as a SQL user runs it, without setting any option for it: through the
 * SQL Gateway on a real cluster, a mirror job copies a REPLICA IDENTITY DEFAULT table with 8–20 KB
 * text and jsonb values into a second PostgreSQL table through Flink's JDBC connector, starting
 * with the initial snapshot. A {@link DocsWriter} inserts, updates the small column only (both
 * large values arrive unchanged), updates one large column only, deletes and changes keys; a
 * TaskManager that runs the job is killed with {@code kill -9} in the middle.
 *
 * <p>In the end the mirror equals the table, every large value intact ({@code md5} of each), the
 * job still runs, and no table has REPLICA IDENTITY FULL. The MiniCluster version is {@code
 * PgWalStreamToastFillITCase}; this one runs the shaded SQL jar and the JDBC connector as {@code
 * ADD JAR}s ({@link io.pgwalstream.e2e.cluster.FlinkDistribution#jdbcJars()}) on a cluster whose
 * TaskManager really dies.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PostgresToastFillE2ECase {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresToastFillE2ECase.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration WRITE_PERIOD = Duration.ofMillis(50);

    /** Keys 1 to {@value #KEYS}; the table starts with the first {@value #PRELOADED}. */
    private static final int KEYS = 60;

    private static final int PRELOADED = 30;

    /** Transactions the writer commits before the kill and after the recovery. */
    private static final int STEP = 60;

    /** The smallest large value: 250 md5 digests. */
    private static final int MIN_LARGE = 250 * 32;

    @EveryFlinkVersion
    void theMirrorEndsEqualToTheSourceWithEveryLargeValueIntactThroughATaskManagerKill(
            FlinkCluster cluster) throws Exception {
        long start = System.nanoTime();
        FlinkRestClient rest = cluster.rest();
        PostgresServer pg = postgres();
        // Slot and publication named as ChangelogDatabase names them, for its dropSlots.
        ChangelogDatabase db =
                new ChangelogDatabase(pg, pg.createDatabase("e2e_toast"), List.of("docs"));
        createDocs(db);

        String job;
        CheckpointStats recovered;
        Map<String, Integer> operations;
        int committed;
        int rolledBack;
        try (SqlGatewayClient.Session sql = cluster.sqlGateway().openSession("pg-walstream")) {
            createTables(sql, cluster, db);
            job = sql.execute("INSERT INTO mirror_sink SELECT * FROM src").insertJobId();
            rest.awaitAllTasksRunning(job, TIMEOUT);
            rest.awaitCheckpointAfter(job, 0, TIMEOUT);
            LOG.info("Mirror job {} running after {} s", job, seconds(start));

            try (DocsWriter writer =
                    DocsWriter.start(pg, db.name(), 20261203L, KEYS, PRELOADED, WRITE_PERIOD)) {
                writer.awaitMoreTransactions(STEP, TIMEOUT);
                rest.awaitCheckpointAfter(job, rest.checkpoints(job).latestCompletedId(), TIMEOUT);
                LOG.info(
                        "Killing a TaskManager after {} s, {} transactions written",
                        seconds(start),
                        writer.committedTransactions());
                recovered = TaskManagerKills.killAndAwaitRecovery(cluster, job, false, TIMEOUT);
                LOG.info("Recovered after {} s: {}", seconds(start), recovered);
                writer.awaitMoreTransactions(STEP, TIMEOUT);
                writer.stop();
                operations = writer.committedOperations();
                committed = writer.committedTransactions();
                rolledBack = writer.rolledBackTransactions();
            }

            awaitMirrorEqualsSource(db, rest, job);
            assertThat(rest.jobState(job)).as("the mirror job at the end").isEqualTo("RUNNING");
            rest.cancel(job);
            rest.awaitState(job, "CANCELED", TIMEOUT);
        }

        assertThat(query(db, "SELECT count(*) FROM mirror"))
                .as("rows of the mirror")
                .singleElement()
                .satisfies(count -> assertThat(Integer.parseInt(count)).isPositive());
        assertThat(
                        query(
                                db,
                                "SELECT id FROM mirror WHERE body IS NULL OR length(body) < "
                                        + MIN_LARGE
                                        + " OR doc IS NULL OR length(doc) < "
                                        + MIN_LARGE))
                .as("mirror rows with a missing or cut large value")
                .isEmpty();
        assertThat(query(db, "SELECT relreplident::text FROM pg_class WHERE relname = 'docs'"))
                .as("REPLICA IDENTITY of docs")
                .containsExactly("d");
        assertThat(
                        query(
                                db,
                                "SELECT relname::text FROM pg_class WHERE relreplident = 'f'"
                                        + " AND relnamespace = 'public'::regnamespace"))
                .as("tables with REPLICA IDENTITY FULL")
                .isEmpty();
        assertThat(operations)
                .as("committed statements by kind")
                .containsKeys(
                        "insert",
                        "update-small",
                        "update-body",
                        "update-doc",
                        "key-change",
                        "delete");
        assertThat(recovered.restored()).as("restores").isGreaterThanOrEqualTo(1);
        LOG.info(
                "{}: mirror equal to docs after {} transactions ({}; {} rolled back) and a"
                        + " TaskManager kill ({}); {} s",
                cluster.distribution(),
                committed,
                operations,
                rolledBack,
                recovered,
                seconds(start));
        db.dropSlots(TIMEOUT);
    }

    /**
     * {@code docs} with REPLICA IDENTITY DEFAULT, keys 1 to {@value #PRELOADED} with large values
     * that really are out of line, its publication, and the empty {@code mirror} ({@code doc} as
     * text: the connector sends jsonb as its text form). The job's source creates the slot.
     */
    private static void createDocs(ChangelogDatabase db) throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE docs (id int PRIMARY KEY, n int, body text, doc jsonb)");
            s.execute("CREATE TABLE mirror (id int PRIMARY KEY, n int, body text, doc text)");
            s.execute("CREATE PUBLICATION " + db.publication("docs") + " FOR TABLE docs");
            s.execute(
                    "INSERT INTO docs SELECT g, g, "
                            + DocsWriter.LARGE_TEXT
                            + ", "
                            + DocsWriter.LARGE_DOC
                            + " FROM generate_series(1, "
                            + PRELOADED
                            + ") g");
        }
        assertThat(
                        query(
                                db,
                                "SELECT pg_relation_size(reltoastrelid) FROM pg_class"
                                        + " WHERE relname = 'docs'"))
                .as("bytes of docs' TOAST table")
                .singleElement()
                .satisfies(
                        size ->
                                assertThat(Long.parseLong(size))
                                        .isGreaterThan(2L * PRELOADED * MIN_LARGE));
    }

    /**
     * {@code ADD JAR} of the SQL jar, the JDBC connector and the PostgreSQL driver; the session's
     * settings; the source table with the fill, and the JDBC sink.
     */
    private static void createTables(
            SqlGatewayClient.Session sql, FlinkCluster cluster, ChangelogDatabase db)
            throws TimeoutException {
        List<Path> jars = new ArrayList<>();
        jars.add(E2EPaths.sqlConnectorJar());
        jars.addAll(cluster.distribution().jdbcJars());
        for (Path jar : jars) {
            sql.execute("ADD JAR '" + jar + "'");
        }
        sql.execute("SET 'execution.checkpointing.interval' = '1 s'");
        sql.execute("SET 'parallelism.default' = '2'");
        // As the cluster's defaults: stated here as a user's job states them.
        sql.execute("SET 'restart-strategy.type' = 'fixed-delay'");
        sql.execute("SET 'restart-strategy.fixed-delay.attempts' = '30'");
        sql.execute("SET 'restart-strategy.fixed-delay.delay' = '1 s'");
        PostgresServer pg = db.server();
        sql.execute(
                "CREATE TABLE src ("
                        + " id INT, n INT, body STRING, doc STRING,"
                        + " PRIMARY KEY (id) NOT ENFORCED"
                        + ") WITH ("
                        + option("connector", "pg-walstream")
                        + option("hostname", pg.host())
                        + option("port", Integer.toString(pg.port()))
                        + option("username", PostgresServer.SUPERUSER)
                        + option("database-name", db.name())
                        + option("table-name", "docs")
                        + option("slot.name", db.slot("docs"))
                        + option("slot.auto-create", "true")
                        + option("publication.name", db.publication("docs"))
                        + option("scan.startup.mode", "initial")
                        // No 'types.unchanged-toast': an upsert table is filled by default,
                        // with lookups by key for values state lacks after key changes.
                        + " 'scan.incremental.snapshot.chunk.size' = '8')");
        sql.execute(
                "CREATE TABLE mirror_sink ("
                        + " id INT, n INT, body STRING, doc STRING,"
                        + " PRIMARY KEY (id) NOT ENFORCED"
                        + ") WITH ("
                        + option("connector", "jdbc")
                        + option("url", pg.jdbcUrl(db.name()) + "?user=" + PostgresServer.SUPERUSER)
                        + option("table-name", "mirror")
                        + " 'sink.buffer-flush.interval' = '100 ms')");
    }

    private static String option(String key, String value) {
        return " '" + key + "' = '" + value + "',";
    }

    /**
     * Waits until the mirror holds the table's rows; at the deadline fails with the rows that
     * differ.
     */
    private static void awaitMirrorEqualsSource(
            ChangelogDatabase db, FlinkRestClient rest, String job) throws SQLException {
        try {
            Waiting.until(
                    "the mirror to equal docs",
                    TIMEOUT,
                    () -> difference(db).isEmpty(),
                    () -> difference(db).size() + " rows differ");
        } catch (TimeoutException e) {
            List<String> rows = new ArrayList<>(difference(db).values());
            String shown = String.join("\n", rows.subList(0, Math.min(rows.size(), 20)));
            throw new AssertionError(
                    "The mirror differs from docs in "
                            + rows.size()
                            + " rows after "
                            + TIMEOUT.toSeconds()
                            + " s (id: docs | mirror, as n,md5(body),md5(doc); the first 20):\n"
                            + shown
                            + "\njob "
                            + rest.jobState(job)
                            + ", "
                            + rest.checkpoints(job)
                            + "\n"
                            + rest.exceptions(job),
                    e);
        }
    }

    /** The rows of docs and mirror that differ, by key: {@code "id: docs-row | mirror-row"}. */
    private static Map<Integer, String> difference(ChangelogDatabase db) {
        try {
            Map<Integer, String> source = fingerprints(db, "docs");
            Map<Integer, String> mirror = fingerprints(db, "mirror");
            TreeSet<Integer> ids = new TreeSet<>(source.keySet());
            ids.addAll(mirror.keySet());
            Map<Integer, String> different = new TreeMap<>();
            for (int id : ids) {
                if (!Objects.equals(source.get(id), mirror.get(id))) {
                    different.put(
                            id,
                            id
                                    + ": "
                                    + Objects.requireNonNullElse(source.get(id), "-")
                                    + " | "
                                    + Objects.requireNonNullElse(mirror.get(id), "-"));
                }
            }
            return different;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<Integer, String> fingerprints(ChangelogDatabase db, String table)
            throws SQLException {
        Map<Integer, String> rows = new TreeMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT id, n || ',' || coalesce(md5(body), 'null') || ',' ||"
                                        + " coalesce(md5(doc::text), 'null') FROM "
                                        + table)) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getString(2));
            }
        }
        return rows;
    }

    private static List<String> query(ChangelogDatabase db, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static PostgresServer postgres() {
        return PostgresServers.shared(PostgresVersion.DEFAULT);
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e8) / 10.0;
    }
}
