package io.pgwalstream.flink.table;

import io.pgwalstream.testing.Await;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mirror job: {@code INSERT INTO} a second PostgreSQL table through Flink's JDBC connector
 * (upserts on the primary key) ends equal to the source table after random inserts, updates
 * (including key changes) and deletes, with the TaskManager killed in the middle.
 */
@PostgresTest
@Timeout(600)
class PgWalStreamMirrorITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final int TRANSACTIONS = 600;
    private static final int KEYS = 150;

    @Test
    void theMirrorEndsEqualToTheSourceAfterRandomChangesAndATaskManagerFailure(
            PostgresServer pg, @InjectMiniCluster MiniCluster cluster) throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, "mirror");
        db.sql(
                "CREATE TABLE items (id int PRIMARY KEY, v text, n int)",
                "CREATE TABLE mirror (id int PRIMARY KEY, v text, n int)",
                "CREATE PUBLICATION pub FOR TABLE items");
        db.createSlot();
        String created = confirmedFlush(db);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(200);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.getConfig().set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        tEnv.getConfig().set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
        tEnv.getConfig()
                .set(
                        RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                        Duration.ofMillis(500));
        tEnv.executeSql(
                db.ddl(
                        "src",
                        "id INT, v STRING, n INT, PRIMARY KEY (id) NOT ENFORCED",
                        "table-name",
                        "items",
                        "publication.name",
                        "pub"));
        tEnv.executeSql(
                "CREATE TABLE sink (id INT, v STRING, n INT, PRIMARY KEY (id) NOT ENFORCED)"
                        + " WITH ('connector' = 'jdbc', 'url' = '"
                        + pg.jdbcUrl(db.name())
                        + "?user="
                        + PostgresServer.SUPERUSER
                        + "', 'table-name' = 'mirror', 'sink.buffer-flush.interval' = '100ms')");
        JobClient job = tEnv.executeSql("INSERT INTO sink SELECT * FROM src").getJobClient().get();
        try {
            Random random = new Random(20240506L);
            TreeSet<Integer> present = new TreeSet<>();
            try (Connection c = pg.connect(db.name());
                    Statement s = c.createStatement()) {
                for (int t = 0; t < TRANSACTIONS; t++) {
                    if (t == TRANSACTIONS / 2) {
                        awaitACompletedCheckpoint(db, created);
                        cluster.terminateTaskManager(0).get();
                        cluster.startTaskManager();
                    }
                    c.setAutoCommit(false);
                    int statements = 1 + random.nextInt(3);
                    for (int i = 0; i < statements; i++) {
                        s.execute(randomChange(random, present));
                    }
                    c.commit();
                }
            }

            awaitMirrorEqualsSource(db);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    /** One statement, keeping {@code present} in step with the table. */
    private static String randomChange(Random random, TreeSet<Integer> present) {
        int id = random.nextInt(KEYS);
        String v = "'v" + random.nextInt(1000) + "'";
        int choice = random.nextInt(10);
        if (!present.contains(id)) {
            present.add(id);
            return "INSERT INTO items VALUES (" + id + ", " + v + ", " + random.nextInt() + ")";
        }
        if (choice < 5) {
            return "UPDATE items SET v = " + v + ", n = n + 1 WHERE id = " + id;
        }
        if (choice < 7) {
            int to = KEYS + random.nextInt(KEYS);
            if (!present.contains(to)) {
                present.remove(id);
                present.add(to);
                return "UPDATE items SET id = " + to + " WHERE id = " + id;
            }
        }
        present.remove(id);
        return "DELETE FROM items WHERE id = " + id;
    }

    /**
     * The slot's confirmed position moves only in notifyCheckpointComplete: once it has, the
     * TaskManager failure restores from a checkpoint rather than from the start.
     */
    private static void awaitACompletedCheckpoint(SqlTestDb db, String created) throws Exception {
        Await.until(
                "a checkpoint completes",
                Duration.ofSeconds(120),
                () -> !confirmedFlush(db).equals(created));
    }

    private static String confirmedFlush(SqlTestDb db) throws SQLException {
        return db.query(
                        "SELECT confirmed_flush_lsn::text FROM pg_replication_slots"
                                + " WHERE slot_name = '"
                                + db.slot()
                                + "'")
                .get(0);
    }

    private static void awaitMirrorEqualsSource(SqlTestDb db) throws Exception {
        try {
            Await.until(
                    "the mirror to equal the source",
                    Duration.ofSeconds(180),
                    () -> rows(db, "items").equals(rows(db, "mirror")));
        } catch (AssertionError timedOut) {
            assertThat(rows(db, "mirror"))
                    .as("mirror after the deadline")
                    .isEqualTo(rows(db, "items"));
        }
        assertThat(rows(db, "items")).isNotEmpty();
    }

    private static List<String> rows(SqlTestDb db, String table) throws SQLException {
        return new ArrayList<>(
                db.query(
                        "SELECT id || ',' || coalesce(v, '-') || ',' || coalesce(n::text, '-')"
                                + " FROM "
                                + table
                                + " ORDER BY id"));
    }
}
