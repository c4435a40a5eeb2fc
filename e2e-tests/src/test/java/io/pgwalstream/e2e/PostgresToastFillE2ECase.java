package io.pgwalstream.e2e;

import io.pgwalstream.e2e.changelog.ChangelogDatabase;
import io.pgwalstream.e2e.changelog.DocsWriter;
import io.pgwalstream.e2e.cluster.EveryFlinkVersion;
import io.pgwalstream.e2e.cluster.FlinkCluster;
import io.pgwalstream.e2e.cluster.FlinkRestClient;
import io.pgwalstream.e2e.cluster.FlinkRestClient.CheckpointStats;
import io.pgwalstream.e2e.cluster.SqlGatewayClient;
import io.pgwalstream.e2e.cluster.TaskManagerKills;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresServers;
import io.pgwalstream.testing.postgres.PostgresVersion;

import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    private static final Duration TIMEOUT = DocsMirror.TIMEOUT;
    private static final Duration WRITE_PERIOD = Duration.ofMillis(50);

    /** Keys 1 to {@value #KEYS}; the table starts with the first {@value #PRELOADED}. */
    private static final int KEYS = 60;

    private static final int PRELOADED = 30;

    /** Transactions the writer commits before the kill and after the recovery. */
    private static final int STEP = 60;

    private static final int MIN_LARGE = DocsMirror.MIN_LARGE;

    @EveryFlinkVersion
    void theMirrorEndsEqualToTheSourceWithEveryLargeValueIntactThroughATaskManagerKill(
            FlinkCluster cluster) throws Exception {
        long start = System.nanoTime();
        FlinkRestClient rest = cluster.rest();
        PostgresServer pg = postgres();
        // Slot and publication named as ChangelogDatabase names them, for its dropSlots.
        ChangelogDatabase db =
                new ChangelogDatabase(pg, pg.createDatabase("e2e_toast"), List.of("docs"));
        DocsMirror.createDocs(db, PRELOADED);

        String job;
        CheckpointStats recovered;
        Map<String, Integer> operations;
        int committed;
        int rolledBack;
        try (SqlGatewayClient.Session sql = cluster.sqlGateway().openSession("pg-walstream")) {
            DocsMirror.createTables(sql, cluster, db, pg.port(), Map.of());
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

            DocsMirror.awaitMirrorEqualsSource(db, rest, job);
            assertThat(rest.jobState(job)).as("the mirror job at the end").isEqualTo("RUNNING");
            rest.cancel(job);
            rest.awaitState(job, "CANCELED", TIMEOUT);
        }

        assertThat(DocsMirror.query(db, "SELECT count(*) FROM mirror"))
                .as("rows of the mirror")
                .singleElement()
                .satisfies(count -> assertThat(Integer.parseInt(count)).isPositive());
        assertThat(
                        DocsMirror.query(
                                db,
                                "SELECT id FROM mirror WHERE body IS NULL OR length(body) < "
                                        + MIN_LARGE
                                        + " OR doc IS NULL OR length(doc) < "
                                        + MIN_LARGE))
                .as("mirror rows with a missing or cut large value")
                .isEmpty();
        assertThat(
                        DocsMirror.query(
                                db,
                                "SELECT relreplident::text FROM pg_class WHERE relname = 'docs'"))
                .as("REPLICA IDENTITY of docs")
                .containsExactly("d");
        assertThat(
                        DocsMirror.query(
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

    private static PostgresServer postgres() {
        return PostgresServers.shared(PostgresVersion.DEFAULT);
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e8) / 10.0;
    }
}
