package io.pgwalstream.flink.table;

import io.pgwalstream.testing.Await;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code slot.shards}: tables spread over slot groups the connector creates, read in parallel. */
@PostgresTest
@Timeout(300)
class PgWalStreamShardedTableITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void shardedSlotGroupsAndPublicationsAreCreatedAndReadInParallel(PostgresServer pg)
            throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, "shards");
        db.sql(
                "CREATE TABLE t_a (id int, v text)",
                "CREATE TABLE t_b (id int, v text)",
                "ALTER TABLE t_a REPLICA IDENTITY FULL",
                "ALTER TABLE t_b REPLICA IDENTITY FULL");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        TableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.getConfig().set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        tEnv.executeSql(
                db.ddl(
                        "src",
                        "id INT, v STRING, tbl STRING METADATA FROM 'table_name' VIRTUAL",
                        "table-name",
                        "t_.",
                        "publication.name",
                        "pub",
                        "publication.auto-create",
                        "true",
                        "slot.shards",
                        "2"));

        try (CloseableIterator<Row> it = tEnv.executeSql("SELECT * FROM src").collect()) {
            awaitActiveSlots(db, 2);
            assertThat(db.query("SELECT pubname FROM pg_publication ORDER BY 1"))
                    .containsExactly("pub_0", "pub_1");
            db.sql("INSERT INTO t_a VALUES (1, 'a')", "INSERT INTO t_b VALUES (2, 'b')");
            List<String> rows = new ArrayList<>();
            rows.add(it.next().toString());
            rows.add(it.next().toString());

            assertThat(rows).containsExactlyInAnyOrder("+I[1, a, t_a]", "+I[2, b, t_b]");
        }
    }

    /** The source creates publications before slots, so active slots mean both exist. */
    private static void awaitActiveSlots(SqlTestDb db, int count) throws Exception {
        String query =
                "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name LIKE '"
                        + db.slot()
                        + "\\_%'";
        Await.until(
                count + " active slots",
                Duration.ofSeconds(120),
                () -> Integer.parseInt(db.query(query).get(0)) >= count);
    }
}
