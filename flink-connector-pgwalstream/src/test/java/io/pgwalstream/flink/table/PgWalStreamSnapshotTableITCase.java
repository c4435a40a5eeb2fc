package io.pgwalstream.flink.table;

import io.pgwalstream.testing.Await;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.pgwalstream.flink.table.SqlTestDb.collect;
import static io.pgwalstream.flink.table.SqlTestDb.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** {@code scan.startup.mode} {@code snapshot} and {@code initial} through Flink SQL. */
@PostgresTest
@Timeout(300)
class PgWalStreamSnapshotTableITCase {

    private static final String COLUMNS =
            "id INT, v STRING, from_snapshot BOOLEAN METADATA FROM 'from_snapshot' VIRTUAL,"
                    + " op_ts TIMESTAMP_LTZ(3) METADATA FROM 'op_ts' VIRTUAL,"
                    + " PRIMARY KEY (id) NOT ENFORCED";

    /** A bounded read of the rows a table holds, in chunks of 3, marked as snapshot rows. */
    @Test
    void snapshotModeReadsTheExistingRowsAndEnds(PostgresServer pg) throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, "snapshot_only");
        db.sql(
                "CREATE TABLE items (id int PRIMARY KEY, v text)",
                "CREATE PUBLICATION pub FOR TABLE items",
                "INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 10) g");
        TableEnvironment tEnv = SqlTestDb.tableEnvironment();
        tEnv.executeSql(
                db.ddl(
                        "src",
                        COLUMNS,
                        "table-name",
                        "items",
                        "publication.name",
                        "pub",
                        "scan.startup.mode",
                        "snapshot",
                        "scan.incremental.snapshot.chunk.size",
                        "3"));

        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            expected.add("+I[" + i + ", v" + i + ", true, 1970-01-01T00:00:00Z]");
        }
        assertThat(collect(tEnv, "SELECT * FROM src"))
                .containsExactlyInAnyOrderElementsOf(expected);
        // Snapshot only: no permanent slot, and the temporary one ends with its connection.
        Await.until(
                "no slot of the database is left",
                Duration.ofSeconds(30),
                () ->
                        db.query(
                                        "SELECT count(*) FROM pg_replication_slots"
                                                + " WHERE database = current_database()")
                                .equals(List.of("0")));
    }

    /** Existing rows first (from the snapshot), then changes committed after it, as upserts. */
    @Test
    void initialModeReadsTheRowsThenStreamsTheChanges(PostgresServer pg) throws Exception {
        rowsThenChanges(pg, "initial", true, false);
    }

    /**
     * {@code initial} is the default, and a slot that exists before the job, holding the inserts of
     * the rows as changes it has not confirmed, still yields each row once: as a snapshot row, not
     * again as a streamed insert.
     */
    @Test
    void initialIsTheDefaultAndKeepsAnExistingSlotsChangesOutOfTheStream(PostgresServer pg)
            throws Exception {
        rowsThenChanges(pg, "initial_existing_slot", true, true);
    }

    /** Without checkpointing the stream still starts, a few seconds after the last chunk. */
    @Test
    void initialModeWithoutCheckpointingStillStreamsTheChanges(PostgresServer pg) throws Exception {
        rowsThenChanges(pg, "initial_unchecked", false, false);
    }

    private static void rowsThenChanges(
            PostgresServer pg, String name, boolean checkpointing, boolean existingSlot)
            throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, name);
        db.sql(
                "CREATE TABLE items (id int PRIMARY KEY, v text)",
                "CREATE PUBLICATION pub FOR TABLE items");
        if (existingSlot) {
            db.createSlot();
        }
        db.sql("INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 5) g");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        if (checkpointing) {
            env.enableCheckpointing(200);
        }
        TableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.getConfig().set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        String columns =
                "id INT, v STRING, from_snapshot BOOLEAN METADATA FROM 'from_snapshot'"
                        + " VIRTUAL, PRIMARY KEY (id) NOT ENFORCED";
        tEnv.executeSql(
                existingSlot
                        ? db.ddl(
                                "src",
                                columns,
                                "table-name",
                                "items",
                                "publication.name",
                                "pub",
                                "scan.incremental.snapshot.chunk.size",
                                "2")
                        : db.ddl(
                                "src",
                                columns,
                                "table-name",
                                "items",
                                "publication.name",
                                "pub",
                                "slot.auto-create",
                                "true",
                                "scan.startup.mode",
                                "initial",
                                "scan.incremental.snapshot.chunk.size",
                                "2"));

        TableResult result = tEnv.executeSql("SELECT id, v, from_snapshot FROM src");
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            while (rows.size() < 5 && it.hasNext()) {
                rows.add(it.next().toString());
            }
            assertThat(rows)
                    .containsExactlyInAnyOrder(
                            "+I[1, v1, true]",
                            "+I[2, v2, true]",
                            "+I[3, v3, true]",
                            "+I[4, v4, true]",
                            "+I[5, v5, true]");
            db.sql(
                    "INSERT INTO items VALUES (6, 'v6')",
                    "UPDATE items SET v = 'changed' WHERE id = 1",
                    "DELETE FROM items WHERE id = 2");
            List<String> changes = new ArrayList<>();
            while (changes.size() < 4 && it.hasNext()) {
                changes.add(it.next().toString());
            }
            assertThat(changes)
                    .containsExactly(
                            "+I[6, v6, false]",
                            "-U[1, v1, true]",
                            "+U[1, changed, false]",
                            "-D[2, v2, true]");
        }
    }

    /** A chunk key column that cannot chunk the table fails the job, naming the option. */
    @Test
    void aBadChunkKeyColumnFailsNamingTheOption(PostgresServer pg) throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, "bad_chunk_key");
        db.sql(
                "CREATE TABLE items (id int PRIMARY KEY, v text)",
                "CREATE PUBLICATION pub FOR TABLE items",
                "INSERT INTO items VALUES (1, 'a')");
        TableEnvironment tEnv = SqlTestDb.tableEnvironment();
        tEnv.executeSql(
                db.ddl(
                        "src",
                        COLUMNS,
                        "table-name",
                        "items",
                        "publication.name",
                        "pub",
                        "scan.startup.mode",
                        "snapshot",
                        "scan.incremental.snapshot.chunk.key-column",
                        "v"));

        Throwable failure = catchThrowable(() -> collect(tEnv, "SELECT * FROM src"));
        assertThat(messages(failure))
                .contains("allows NULL in \"v\"")
                .contains("scan.incremental.snapshot.chunk.key-column");
    }
}
