package io.pgwalstream.e2e;

import io.pgwalstream.e2e.changelog.ChangelogDatabase;
import io.pgwalstream.e2e.changelog.DocsWriter;
import io.pgwalstream.e2e.cluster.EveryFlinkVersion;
import io.pgwalstream.e2e.cluster.FlinkCluster;
import io.pgwalstream.e2e.cluster.FlinkRestClient;
import io.pgwalstream.e2e.cluster.SqlGatewayClient;
import io.pgwalstream.e2e.cluster.Waiting;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresVersion;

import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A primary failing over to its standby under a SQL job on a real cluster (PostgreSQL 17 failover
 * slots): the mirror job of {@link DocsMirror} reads with {@code 'slot.failover' = 'true'} through
 * a connection naming both servers ({@code targetServerType=primary}), and writes the mirror the
 * same way. The primary is crashed ({@code pg_ctl stop -m immediate}) and the standby promoted;
 * after that, rows are inserted, updated (the large values left alone: filled from state), deleted
 * on the new primary. The mirror ends equal to the table there, and the job runs.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PostgresFailoverE2ECase {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresFailoverE2ECase.class);
    private static final Duration TIMEOUT = DocsMirror.TIMEOUT;
    private static final int KEYS = 40;
    private static final int PRELOADED = 20;
    private static final int STEP = 40;

    @EveryFlinkVersion
    void theMirrorGoesOnFromThePromotedStandby(FlinkCluster cluster) throws Exception {
        FlinkRestClient rest = cluster.rest();
        try (PostgresServer primary = PostgresServer.start(PostgresVersion.DEFAULT);
                PostgresServer standby = PostgresServer.startFailoverStandbyOf(primary)) {
            ChangelogDatabase db =
                    new ChangelogDatabase(
                            primary, primary.createDatabase("e2e_failover"), List.of("docs"));
            DocsMirror.createDocs(db, PRELOADED);
            String hosts =
                    primary.host()
                            + ":"
                            + primary.port()
                            + ","
                            + standby.host()
                            + ":"
                            + standby.port();
            String job;
            try (SqlGatewayClient.Session sql = cluster.sqlGateway().openSession("pg-walstream")) {
                DocsMirror.createTables(
                        sql,
                        cluster,
                        db,
                        hosts,
                        "jdbc:postgresql://"
                                + hosts
                                + "/"
                                + db.name()
                                + "?user="
                                + PostgresServer.SUPERUSER
                                + "&targetServerType=primary",
                        Map.of(
                                "slot.failover", "true",
                                "properties.targetServerType", "primary",
                                "replication.reconnect.initial-backoff", "200 ms",
                                "replication.reconnect.max-backoff", "1 s",
                                "replication.reconnect.max-attempts", "300"));
                job = sql.execute("INSERT INTO mirror_sink SELECT * FROM src").insertJobId();
                rest.awaitAllTasksRunning(job, TIMEOUT);
                rest.awaitCheckpointAfter(job, 0, TIMEOUT);

                try (DocsWriter writer =
                        DocsWriter.start(
                                primary,
                                db.name(),
                                20261204L,
                                KEYS,
                                PRELOADED,
                                Duration.ofMillis(50))) {
                    writer.awaitMoreTransactions(STEP, TIMEOUT);
                    writer.stop();
                }
                DocsMirror.awaitMirrorEqualsSource(db, rest, job);
                awaitSynchronizedCopy(standby, db);

                primary.crash();
                LOG.info("Primary crashed; promoting the standby");
                standby.execute("SELECT pg_promote()");
                ChangelogDatabase promoted =
                        new ChangelogDatabase(standby, db.name(), List.of("docs"));
                try (Connection c = promoted.connect();
                        Statement s = c.createStatement()) {
                    s.execute(
                            "INSERT INTO docs SELECT g, g, "
                                    + DocsWriter.LARGE_TEXT
                                    + ", "
                                    + DocsWriter.LARGE_DOC
                                    + " FROM generate_series(1001, 1010) g");
                    // The large values are left alone: they arrive unchanged, filled from state.
                    s.execute("UPDATE docs SET n = n + 1000");
                    s.execute("DELETE FROM docs WHERE id IN (1001, 1002)");
                }

                DocsMirror.awaitMirrorEqualsSource(promoted, rest, job);
                assertThat(rest.jobState(job)).as("the mirror job at the end").isEqualTo("RUNNING");
                assertThat(
                                DocsMirror.query(
                                        promoted, "SELECT count(*) FROM mirror WHERE id > 1000"))
                        .containsExactly("8");
                rest.cancel(job);
                rest.awaitState(job, "CANCELED", TIMEOUT);
                LOG.info(
                        "{}: the mirror went on from the promoted standby", cluster.distribution());
            }
        }
    }

    private static void awaitSynchronizedCopy(PostgresServer standby, ChangelogDatabase db)
            throws Exception {
        ChangelogDatabase onStandby = new ChangelogDatabase(standby, db.name(), List.of("docs"));
        Waiting.until(
                "the standby to hold a synchronized copy of " + db.slot("docs"),
                TIMEOUT,
                () -> {
                    try {
                        return DocsMirror.query(
                                        onStandby,
                                        "SELECT count(*) FROM pg_replication_slots WHERE slot_name"
                                                + " = '"
                                                + db.slot("docs")
                                                + "' AND synced AND NOT temporary")
                                .equals(List.of("1"));
                    } catch (java.sql.SQLException e) {
                        return false;
                    }
                });
    }
}
