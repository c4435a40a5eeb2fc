package io.pgwalstream.flink.table;

import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.pgwalstream.flink.table.SqlTestDb.collect;
import static io.pgwalstream.flink.table.SqlTestDb.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code 'stream' = 'messages'}: logical decoding messages as an insert-only SQL table, filtered by
 * prefix, and the declarations a message stream refuses at planning.
 */
@PostgresTest
@Timeout(300)
class PgWalStreamMessageTableITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @Test
    void messagesAreRowsWithTheirPrefixContentAndTransaction(PostgresServer pg) throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, "messages");
        db.sql("CREATE TABLE items (id int PRIMARY KEY)");
        TableEnvironment tEnv = SqlTestDb.tableEnvironment();
        tEnv.executeSql(
                db.ddl(
                        "events",
                        "prefix STRING, content STRING, transactional BOOLEAN, lsn STRING,"
                                + " xid BIGINT, commit_time TIMESTAMP_LTZ(3)",
                        "stream",
                        "messages",
                        "messages.prefix",
                        "orders;billing",
                        "publication.auto-create",
                        "true",
                        "scan.bounded.mode",
                        "latest-offset"));
        // The publication does not exist: the first read creates it (empty) and the slot.
        assertThat(collect(tEnv, "SELECT prefix FROM events")).isEmpty();

        db.sql(
                "BEGIN",
                "INSERT INTO items VALUES (1)",
                "SELECT pg_logical_emit_message(true, 'orders', 'order 1 placed')",
                "SELECT pg_logical_emit_message(true, 'other', 'filtered out')",
                "COMMIT",
                "BEGIN",
                "SELECT pg_logical_emit_message(true, 'orders', 'rolled back')",
                "SELECT pg_logical_emit_message(false, 'billing', 'kept ✓')",
                "ROLLBACK",
                // A commit flushes the WAL: the rollback alone leaves the non-transactional
                // message in the WAL buffers, past what the walsender can read before the bound.
                "INSERT INTO items VALUES (2)");

        assertThat(
                        collect(
                                tEnv,
                                "SELECT prefix, content, transactional, xid IS NOT NULL,"
                                        + " commit_time IS NOT NULL, lsn LIKE '%/%' FROM events"))
                .containsExactly(
                        "+I[orders, order 1 placed, true, true, true, true]",
                        "+I[billing, kept ✓, false, false, false, true]");
        assertThat(
                        db.query(
                                "SELECT count(*) FROM pg_publication WHERE pubname = '"
                                        + db.slot()
                                        + "'"))
                .containsExactly("1");
    }

    @Test
    void aMessageStreamRefusesUnknownColumnsWrongTypesTablesAndSnapshots(PostgresServer pg) {
        SqlTestDb db = SqlTestDb.create(pg, "messages_refused");
        TableEnvironment tEnv = SqlTestDb.tableEnvironment();
        tEnv.executeSql(
                db.ddl("unknown_column", "prefix STRING, payload STRING", "stream", "messages"));
        assertThat(messages(catchThrowable(() -> tEnv.executeSql("SELECT * FROM unknown_column"))))
                .contains("has no column 'payload'")
                .contains("prefix, content, transactional, lsn, xid, commit_time");

        tEnv.executeSql(db.ddl("wrong_type", "content INT", "stream", "messages"));
        assertThat(messages(catchThrowable(() -> tEnv.executeSql("SELECT * FROM wrong_type"))))
                .contains("Column 'content' of a message stream is declared INT")
                .contains("BYTES or STRING");

        tEnv.executeSql(
                db.ddl(
                        "with_tables",
                        "prefix STRING",
                        "stream",
                        "messages",
                        "table-name",
                        "orders"));
        assertThat(messages(catchThrowable(() -> tEnv.executeSql("SELECT * FROM with_tables"))))
                .contains("Option 'table-name' has no meaning with stream = messages");

        tEnv.executeSql(
                db.ddl(
                        "snap",
                        "prefix STRING",
                        "stream",
                        "messages",
                        "scan.startup.mode",
                        "initial"));
        assertThat(messages(catchThrowable(() -> tEnv.executeSql("SELECT * FROM snap"))))
                .contains("a message stream has no rows to snapshot");

        tEnv.executeSql(db.ddl("no_table", "id INT"));
        assertThat(messages(catchThrowable(() -> tEnv.executeSql("SELECT * FROM no_table"))))
                .contains("Option 'table-name' is required");
    }
}
