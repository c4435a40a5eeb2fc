package io.pgwalstream.e2e;

import io.pgwalstream.e2e.changelog.ChangelogDatabase;
import io.pgwalstream.e2e.changelog.DocsWriter;
import io.pgwalstream.e2e.cluster.E2EPaths;
import io.pgwalstream.e2e.cluster.FlinkCluster;
import io.pgwalstream.e2e.cluster.FlinkRestClient;
import io.pgwalstream.e2e.cluster.SqlGatewayClient;
import io.pgwalstream.e2e.cluster.Waiting;
import io.pgwalstream.testing.postgres.PostgresServer;

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
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mirror job through the SQL Gateway: {@code docs (id, n, body text, doc jsonb)} with REPLICA
 * IDENTITY DEFAULT and 8-20 KB values, read by pg-walstream with an initial snapshot and written by
 * Flink's JDBC connector into {@code mirror}; and the check that the mirror ends equal (n and the
 * md5 of both large values per key).
 */
final class DocsMirror {

    static final Duration TIMEOUT = Duration.ofSeconds(90);

    /** The smallest large value: 250 md5 digests. */
    static final int MIN_LARGE = 250 * 32;

    private DocsMirror() {}

    /**
     * {@code docs} with REPLICA IDENTITY DEFAULT, keys 1 to {@code preloaded} with large values
     * that really are out of line, its publication, and the empty {@code mirror} ({@code doc} as
     * text: the connector sends jsonb as its text form). The job's source creates the slot.
     */
    static void createDocs(ChangelogDatabase db, int preloaded) throws SQLException {
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
                            + preloaded
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
                                        .isGreaterThan(2L * preloaded * MIN_LARGE));
    }

    /**
     * {@code ADD JAR} of the SQL jar, the JDBC connector and the PostgreSQL driver; the session's
     * settings; the source table with the fill, and the JDBC sink.
     *
     * @param port the port the source connects to (the server's, or a proxy's in front of it)
     * @param sourceOptions more options of the source table
     */
    static void createTables(
            SqlGatewayClient.Session sql,
            FlinkCluster cluster,
            ChangelogDatabase db,
            int port,
            Map<String, String> sourceOptions)
            throws TimeoutException {
        PostgresServer pg = db.server();
        createTables(
                sql,
                cluster,
                db,
                pg.host() + ":" + port,
                pg.jdbcUrl(db.name()) + "?user=" + PostgresServer.SUPERUSER,
                sourceOptions);
    }

    /**
     * As {@link #createTables(SqlGatewayClient.Session, FlinkCluster, ChangelogDatabase, int,
     * Map)}, reading from {@code hostname} (hosts with their ports) and writing to {@code sinkUrl}.
     */
    static void createTables(
            SqlGatewayClient.Session sql,
            FlinkCluster cluster,
            ChangelogDatabase db,
            String hostname,
            String sinkUrl,
            Map<String, String> sourceOptions)
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
        sql.execute(
                "CREATE TABLE src ("
                        + " id INT, n INT, body STRING, doc STRING,"
                        + " PRIMARY KEY (id) NOT ENFORCED"
                        + ") WITH ("
                        + option("connector", "pg-walstream")
                        + option("hostname", hostname)
                        + option("username", PostgresServer.SUPERUSER)
                        + option("database-name", db.name())
                        + option("table-name", "docs")
                        + option("slot.name", db.slot("docs"))
                        + option("slot.auto-create", "true")
                        + option("publication.name", db.publication("docs"))
                        + option("scan.startup.mode", "initial")
                        + options(sourceOptions)
                        // No 'types.unchanged-toast': an upsert table is filled by default,
                        // with lookups by key for values state lacks after key changes.
                        + " 'scan.incremental.snapshot.chunk.size' = '8')");
        sql.execute(
                "CREATE TABLE mirror_sink ("
                        + " id INT, n INT, body STRING, doc STRING,"
                        + " PRIMARY KEY (id) NOT ENFORCED"
                        + ") WITH ("
                        + option("connector", "jdbc")
                        + option("url", sinkUrl)
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
    static void awaitMirrorEqualsSource(ChangelogDatabase db, FlinkRestClient rest, String job)
            throws SQLException {
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

    static List<String> query(ChangelogDatabase db, String sql) throws SQLException {
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

    private static String options(Map<String, String> options) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(options).forEach((k, v) -> sb.append(option(k, v)));
        return sb.toString();
    }
}
