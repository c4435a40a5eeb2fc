package io.pgwalstream.e2e;

import io.pgwalstream.e2e.changelog.ChangelogDatabase;
import io.pgwalstream.e2e.changelog.DocsWriter;
import io.pgwalstream.e2e.cluster.EveryFlinkVersion;
import io.pgwalstream.e2e.cluster.FlinkCluster;
import io.pgwalstream.e2e.cluster.FlinkRestClient;
import io.pgwalstream.e2e.cluster.SqlGatewayClient;
import io.pgwalstream.e2e.cluster.Waiting;
import io.pgwalstream.testing.FaultProxy;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresServers;
import io.pgwalstream.testing.postgres.PostgresVersion;

import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A network partition that closes nothing, on a real cluster: the mirror job of {@link DocsMirror}
 * reads through a {@link FaultProxy} in this JVM, and halfway the proxy black-holes every
 * connection (no byte passes, none is closed) while a {@link DocsWriter} goes on writing. The
 * reader gives the silent replication connection up after {@code replication.receive-timeout},
 * dials again until the partition heals, and goes on: the mirror ends equal to the table, and the
 * job never failed (Flink restarted nothing). The MiniCluster version is in {@code
 * FaultInjectionITCase}.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PostgresBlackHoleE2ECase {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresBlackHoleE2ECase.class);
    private static final Duration TIMEOUT = DocsMirror.TIMEOUT;
    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(2);
    private static final int KEYS = 40;
    private static final int PRELOADED = 20;
    private static final int STEP = 40;

    @EveryFlinkVersion
    void aSilentConnectionIsGivenUpAndTheJobGoesOnWithoutARestart(FlinkCluster cluster)
            throws Exception {
        FlinkRestClient rest = cluster.rest();
        PostgresServer pg = PostgresServers.shared(PostgresVersion.DEFAULT);
        ChangelogDatabase db =
                new ChangelogDatabase(pg, pg.createDatabase("e2e_black_hole"), List.of("docs"));
        DocsMirror.createDocs(db, PRELOADED);

        String job;
        try (FaultProxy proxy = new FaultProxy(pg.port());
                SqlGatewayClient.Session sql = cluster.sqlGateway().openSession("pg-walstream")) {
            DocsMirror.createTables(
                    sql,
                    cluster,
                    db,
                    proxy.port(),
                    Map.of(
                            "replication.receive-timeout", RECEIVE_TIMEOUT.toMillis() + " ms",
                            "replication.reconnect.initial-backoff", "100 ms",
                            "replication.reconnect.max-backoff", "500 ms",
                            "replication.reconnect.max-attempts", "500",
                            "replication.reconnect.max-total-time", "2 min"));
            job = sql.execute("INSERT INTO mirror_sink SELECT * FROM src").insertJobId();
            rest.awaitAllTasksRunning(job, TIMEOUT);
            rest.awaitCheckpointAfter(job, 0, TIMEOUT);

            try (DocsWriter writer =
                    DocsWriter.start(
                            pg, db.name(), 20261204L, KEYS, PRELOADED, Duration.ofMillis(50))) {
                writer.awaitMoreTransactions(STEP, TIMEOUT);
                rest.awaitCheckpointAfter(job, rest.checkpoints(job).latestCompletedId(), TIMEOUT);

                int connections = proxy.acceptedConnections();
                proxy.blackHole();
                LOG.info("Black hole after {} transactions", writer.committedTransactions());
                // The reader notices the silence and dials again (into the black hole too).
                Waiting.until(
                        "the reader to give up the silent connection and dial again",
                        TIMEOUT,
                        () -> proxy.acceptedConnections() > connections,
                        () -> proxy.acceptedConnections() + " connections accepted");
                writer.awaitMoreTransactions(STEP / 2, TIMEOUT);
                proxy.forward();
                LOG.info("Forwarding again after {} transactions", writer.committedTransactions());

                writer.awaitMoreTransactions(STEP, TIMEOUT);
                writer.stop();
            }

            DocsMirror.awaitMirrorEqualsSource(db, rest, job);
            assertThat(rest.jobState(job)).as("the mirror job at the end").isEqualTo("RUNNING");
            assertThat(rest.exceptions(job))
                    .as("failures Flink saw (a restart would be one)")
                    .isEqualTo("no exceptions");
            assertThat(taskManagerLogsMention(cluster, "the connection is presumed dead"))
                    .as("the receive timeout gave the connection up")
                    .isTrue();
            rest.cancel(job);
            rest.awaitState(job, "CANCELED", TIMEOUT);
        }
        db.dropSlots(TIMEOUT);
    }

    private static boolean taskManagerLogsMention(FlinkCluster cluster, String text)
            throws IOException {
        try (Stream<Path> logs = Files.list(cluster.logDirectory())) {
            for (Path log :
                    logs.filter(
                                    p ->
                                            p.getFileName().toString().contains("taskexecutor")
                                                    || p.getFileName()
                                                            .toString()
                                                            .contains("taskmanager"))
                            .toList()) {
                if (Files.readString(log).contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }
}
