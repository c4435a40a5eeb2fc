package io.pgwalstream.e2e;

import io.pgwalstream.e2e.cluster.E2EPaths;
import io.pgwalstream.e2e.cluster.EveryFlinkVersion;
import io.pgwalstream.e2e.cluster.FlinkCluster;
import io.pgwalstream.e2e.cluster.SqlGatewayClient;
import io.pgwalstream.e2e.cluster.SqlGatewayClient.Row;
import io.pgwalstream.e2e.sequence.SequenceOutput;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQL through the SQL Gateway's REST API with a connector loaded by {@code ADD JAR}, as users will
 * load the pg-walstream SQL jar: the jar's {@code e2e-sequence} table factory feeds an {@code
 * INSERT INTO} a filesystem table, whose committed files then hold every row once, and a bounded
 * query whose rows come back through the gateway.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SqlGatewayE2ECase {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int SPLITS = 2;
    private static final long ROWS_PER_SPLIT = 500;

    @EveryFlinkVersion
    void insertsFromAConnectorAddedAsJar(FlinkCluster cluster, @TempDir Path dir) throws Exception {
        Path jar = E2EPaths.jobsJar();
        Path output = dir.resolve("files");

        SqlGatewayClient gateway = cluster.sqlGateway();
        assertThat(gateway.info().path("version").asText())
                .isEqualTo(cluster.distribution().version());
        try (SqlGatewayClient.Session sql = gateway.openSession("e2e")) {
            sql.execute("ADD JAR '" + jar + "'");
            assertThat(sql.execute("SHOW JARS").rows())
                    .extracting(row -> String.valueOf(row.fields().get(0)))
                    .anySatisfy(shown -> assertThat(shown).endsWith(jar.getFileName().toString()));
            sql.execute("SET 'parallelism.default' = '2'");
            sql.execute(
                    "CREATE TABLE numbers (split INT, seq BIGINT) WITH ("
                            + " 'connector' = 'e2e-sequence',"
                            + " 'splits' = '"
                            + SPLITS
                            + "',"
                            + " 'records-per-split' = '"
                            + ROWS_PER_SPLIT
                            + "')");
            sql.execute(
                    "CREATE TABLE files (split INT, seq BIGINT) WITH ("
                            + " 'connector' = 'filesystem',"
                            + " 'path' = '"
                            + output.toUri()
                            + "',"
                            + " 'format' = 'csv')");

            String jobId =
                    sql.execute("INSERT INTO files SELECT split, seq FROM numbers").insertJobId();
            cluster.rest().awaitState(jobId, "FINISHED", TIMEOUT);
            SequenceOutput.read(output).assertExactly(SPLITS, ROWS_PER_SPLIT);

            List<Row> rows = sql.execute("SELECT split, seq FROM numbers WHERE seq < 3").rows();
            assertThat(rows)
                    .extracting(row -> row.kind() + " " + row.fields())
                    .containsExactlyInAnyOrder(
                            "INSERT [0, 0]",
                            "INSERT [0, 1]",
                            "INSERT [0, 2]",
                            "INSERT [1, 0]",
                            "INSERT [1, 1]",
                            "INSERT [1, 2]");
        }
    }
}
