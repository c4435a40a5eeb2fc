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
import org.apache.flink.table.api.TableResult;
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
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code types.unchanged-toast = FILL}: a mirror of a REPLICA IDENTITY DEFAULT table with 8–20 KB
 * text and jsonb values, written through Flink's JDBC connector, ends equal to the source — every
 * large value intact — after inserts, updates that touch and do not touch the large columns,
 * deletes, key changes and a TaskManager failure.
 */
@PostgresTest
@Timeout(600)
class PgWalStreamToastFillITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final int KEYS = 60;
    private static final int TRANSACTIONS = 240;

    /** 8 to 20 KB of md5 hex: incompressible enough that PostgreSQL stores it out of line. */
    private static final String LARGE_TEXT =
            "(SELECT string_agg(md5(random()::text || i), '') FROM generate_series(1, 250 +"
                    + " (random() * 375)::int) i)";

    private static final String LARGE_DOC =
            "jsonb_build_object('body', " + LARGE_TEXT + ", 'at', clock_timestamp()::text)";

    @Test
    void theMirrorEndsEqualWithEveryLargeValueIntactAfterKeyChangesAndATaskManagerFailure(
            PostgresServer pg, @InjectMiniCluster MiniCluster cluster) throws Exception {
        SqlTestDb db = docsDatabase(pg, "toast_fill");
        JobClient job = startMirror(db, "LOOKUP");
        try {
            applyRandomChanges(db, new Random(20261203L), true, cluster);
            awaitMirrorEqualsSource(db);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
        assertThat(db.query("SELECT relreplident::text FROM pg_class WHERE relname = 'docs'"))
                .containsExactly("d");
    }

    /**
     * Started with {@code initial}, state holds every value from the snapshot on: with lookups
     * turned off ({@code FAIL}) a job that never changes keys runs through without one, also across
     * a TaskManager failure (state restored from the checkpoint).
     */
    @Test
    void afterAnInitialSnapshotStateHoldsEveryValueAndNoLookupIsNeeded(
            PostgresServer pg, @InjectMiniCluster MiniCluster cluster) throws Exception {
        SqlTestDb db = docsDatabase(pg, "toast_fill_state");
        JobClient job = startMirror(db, "FAIL");
        try {
            applyRandomChanges(db, new Random(7L), false, cluster);
            awaitMirrorEqualsSource(db);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    /** Without a snapshot state is empty: with {@code FAIL} the first such update fails the job. */
    @Test
    void withoutASnapshotAndWithoutLookupsAMissingValueFailsNamingTheFix(PostgresServer pg)
            throws Exception {
        SqlTestDb db = docsDatabase(pg, "toast_fill_missing");
        db.createSlot();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.getConfig().set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        tEnv.executeSql(sourceDdl(db, "committed-offset", "FAIL"));
        TableResult result = tEnv.executeSql("SELECT id, n, body FROM src");
        db.sql("UPDATE docs SET n = n + 1 WHERE id = 1");
        Throwable failure =
                catchThrowable(
                        () -> {
                            try (var it = result.collect()) {
                                while (it.hasNext()) {
                                    it.next();
                                }
                            }
                        });
        assertThat(SqlTestDb.messages(failure))
                .contains("UnchangedToastMissingException")
                .contains("'initial'")
                .contains("types.unchanged-toast.missing");
    }

    /**
     * Without a snapshot, lookups by key give the true values of rows the job never saw; neither
     * option set: the fill with lookups is the default of an upsert table.
     */
    @Test
    void byDefaultWithoutASnapshotMissingValuesAreLookedUpByKey(PostgresServer pg)
            throws Exception {
        SqlTestDb db = docsDatabase(pg, "toast_fill_lookup");
        db.createSlot();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.getConfig().set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        tEnv.executeSql(sourceDdl(db, "committed-offset", null));
        TableResult result =
                tEnv.executeSql("SELECT id, n, MD5(body), MD5(doc) FROM src WHERE id IN (1, 2, 3)");
        db.sql(
                "UPDATE docs SET n = n + 1 WHERE id = 1",
                "UPDATE docs SET body = 'small now' WHERE id = 2",
                "UPDATE docs SET id = 1003 WHERE id = 3");
        List<String> expected =
                db.query(
                        "SELECT id || ',' || n || ',' || md5(body) || ',' || md5(doc::text)"
                                + " FROM docs WHERE id IN (1, 2) ORDER BY id");
        List<String> rows = new ArrayList<>();
        try (var it = result.collect()) {
            while (rows.size() < 2 && it.hasNext()) {
                var row = it.next();
                rows.add(
                        String.join(
                                ",",
                                "" + row.getField(0),
                                "" + row.getField(1),
                                "" + row.getField(2),
                                "" + row.getField(3)));
            }
        }
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static SqlTestDb docsDatabase(PostgresServer pg, String name) throws SQLException {
        SqlTestDb db = SqlTestDb.create(pg, name);
        db.sql(
                "CREATE TABLE docs (id int PRIMARY KEY, n int, body text, doc jsonb)",
                "CREATE TABLE mirror (id int PRIMARY KEY, n int, body text, doc text)",
                "CREATE PUBLICATION pub FOR TABLE docs",
                "INSERT INTO docs SELECT g, g, "
                        + LARGE_TEXT
                        + ", "
                        + LARGE_DOC
                        + " FROM generate_series(1, "
                        + (KEYS / 2)
                        + ") g");
        // The values really are out of line: the toast table holds them.
        assertThat(
                        Long.parseLong(
                                db.query(
                                                "SELECT pg_relation_size(reltoastrelid)"
                                                        + " FROM pg_class WHERE relname = 'docs'")
                                        .get(0)))
                .isGreaterThan(KEYS / 2 * 8000L);
        return db;
    }

    /**
     * @param missing {@code types.unchanged-toast.missing} under an explicit FILL, or null for
     *     neither option: FILL with lookups is what an upsert table gets by default
     */
    private static String sourceDdl(SqlTestDb db, String startupMode, String missing) {
        List<String> options =
                new ArrayList<>(
                        List.of(
                                "table-name",
                                "docs",
                                "publication.name",
                                "pub",
                                "slot.auto-create",
                                "true",
                                "scan.startup.mode",
                                startupMode,
                                "scan.incremental.snapshot.chunk.size",
                                "8"));
        if (missing != null) {
            options.addAll(
                    List.of(
                            "types.unchanged-toast",
                            "FILL",
                            "types.unchanged-toast.missing",
                            missing));
        }
        return db.ddl(
                "src",
                "id INT, n INT, body STRING, doc STRING, PRIMARY KEY (id) NOT ENFORCED",
                options.toArray(new String[0]));
    }

    private static JobClient startMirror(SqlTestDb db, String missing) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.getConfig().set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        tEnv.getConfig().set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
        tEnv.getConfig()
                .set(
                        RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                        Duration.ofMillis(500));
        tEnv.executeSql(sourceDdl(db, "initial", missing));
        tEnv.executeSql(
                "CREATE TABLE sink (id INT, n INT, body STRING, doc STRING,"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'jdbc', 'url' = '"
                        + db.pg().jdbcUrl(db.name())
                        + "?user="
                        + PostgresServer.SUPERUSER
                        + "', 'table-name' = 'mirror', 'sink.buffer-flush.interval' = '100ms')");
        return tEnv.executeSql("INSERT INTO sink SELECT * FROM src").getJobClient().get();
    }

    /**
     * Random transactions of one to three statements; halfway, once a checkpoint has completed, the
     * TaskManager is killed and a new one started.
     */
    private static void applyRandomChanges(
            SqlTestDb db, Random random, boolean keyChanges, MiniCluster cluster) throws Exception {
        TreeSet<Integer> present = new TreeSet<>();
        for (int id = 1; id <= KEYS / 2; id++) {
            present.add(id);
        }
        awaitMirrorEqualsSource(db); // the snapshot is through
        try (Connection c = db.pg().connect(db.name());
                Statement s = c.createStatement()) {
            for (int t = 0; t < TRANSACTIONS; t++) {
                if (t == TRANSACTIONS / 2) {
                    cluster.terminateTaskManager(0).get();
                    cluster.startTaskManager();
                }
                c.setAutoCommit(false);
                TreeSet<Integer> before = new TreeSet<>(present);
                int statements = 1 + random.nextInt(3);
                for (int i = 0; i < statements; i++) {
                    s.execute(randomChange(random, present, keyChanges));
                }
                if (random.nextInt(10) == 0) {
                    c.rollback();
                    present.clear();
                    present.addAll(before);
                } else {
                    c.commit();
                }
            }
        }
    }

    /** One statement, keeping {@code present} in step with the table. */
    private static String randomChange(Random random, TreeSet<Integer> present, boolean moves) {
        int id = 1 + random.nextInt(KEYS);
        if (!present.contains(id)) {
            present.add(id);
            return "INSERT INTO docs VALUES (" + id + ", 0, " + LARGE_TEXT + ", " + LARGE_DOC + ")";
        }
        int choice = random.nextInt(12);
        if (choice < 5) {
            return "UPDATE docs SET n = n + 1 WHERE id = " + id; // both large values unchanged
        }
        if (choice < 7) {
            return "UPDATE docs SET body = " + LARGE_TEXT + " WHERE id = " + id;
        }
        if (choice < 8) {
            return "UPDATE docs SET doc = " + LARGE_DOC + ", n = n + 1 WHERE id = " + id;
        }
        if (choice < 10 && moves) {
            int to = 1 + random.nextInt(KEYS);
            if (!present.contains(to)) {
                present.remove(id);
                present.add(to);
                return "UPDATE docs SET id = " + to + " WHERE id = " + id;
            }
        }
        present.remove(id);
        return "DELETE FROM docs WHERE id = " + id;
    }

    private static void awaitMirrorEqualsSource(SqlTestDb db) throws Exception {
        try {
            Await.until(
                    "the mirror to equal the source",
                    Duration.ofSeconds(180),
                    () -> rows(db, "docs").equals(rows(db, "mirror")));
        } catch (AssertionError timedOut) {
            assertThat(rows(db, "mirror"))
                    .as("mirror after the deadline")
                    .isEqualTo(rows(db, "docs"));
        }
        assertThat(rows(db, "docs")).isNotEmpty();
    }

    private static List<String> rows(SqlTestDb db, String table) throws SQLException {
        return db.query(
                "SELECT id || ',' || n || ',' || coalesce(md5(body), '-') || ',' ||"
                        + " coalesce(md5(doc::text), '-') FROM "
                        + table
                        + " ORDER BY id");
    }
}
