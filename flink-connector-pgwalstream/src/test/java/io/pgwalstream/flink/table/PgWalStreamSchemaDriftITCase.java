package io.pgwalstream.flink.table;

import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.pgwalstream.flink.table.SqlTestDb.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Columns added or dropped in PostgreSQL while a job reads the table. */
@PostgresTest
@Timeout(300)
class PgWalStreamSchemaDriftITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private TableEnvironment tEnv;

    @BeforeEach
    void tableEnvironment() {
        tEnv = SqlTestDb.tableEnvironment();
    }

    @Test
    void anAddedColumnIsIgnoredAndADroppedOneReadsAsNullWhenAskedTo(PostgresServer pg)
            throws Exception {
        SqlTestDb db = items(pg, "drift_null");
        tEnv.executeSql(
                db.ddl(
                        "src",
                        "id INT, v STRING, w STRING",
                        "table-name",
                        "items",
                        "publication.name",
                        "pub",
                        "schema-drift.dropped-column",
                        "null"));

        try (CloseableIterator<Row> it = tEnv.executeSql("SELECT * FROM src").collect()) {
            db.sql("INSERT INTO items VALUES (1, 'a', 'x')");
            assertThat(it.next()).hasToString("+I[1, a, x]");

            db.sql(
                    "ALTER TABLE items ADD COLUMN extra int",
                    "INSERT INTO items VALUES (2, 'b', 'y', 5)");
            assertThat(it.next()).hasToString("+I[2, b, y]");

            db.sql("ALTER TABLE items DROP COLUMN w", "INSERT INTO items VALUES (3, 'c', 6)");
            assertThat(it.next()).hasToString("+I[3, c, null]");
        }
    }

    @Test
    void aDroppedColumnFailsTheJobByDefaultNamingTheOption(PostgresServer pg) throws Exception {
        SqlTestDb db = items(pg, "drift_fail");
        tEnv.executeSql(
                db.ddl(
                        "src",
                        "id INT, v STRING, w STRING",
                        "table-name",
                        "items",
                        "publication.name",
                        "pub"));

        try (CloseableIterator<Row> it = tEnv.executeSql("SELECT * FROM src").collect()) {
            db.sql("INSERT INTO items VALUES (1, 'a', 'x')");
            assertThat(it.next()).hasToString("+I[1, a, x]");

            db.sql("ALTER TABLE items DROP COLUMN w", "INSERT INTO items VALUES (2, 'b')");
            Throwable failure = catchThrowable(it::next);

            assertThat(messages(failure))
                    .contains(
                            "Column \"w\" is declared in the Flink table but public.items no longer"
                                    + " has it")
                    .contains("'schema-drift.dropped-column' = 'null'");
        }
    }

    private static SqlTestDb items(PostgresServer pg, String prefix) throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, prefix);
        db.sql(
                "CREATE TABLE items (id int, v text, w text)",
                "ALTER TABLE items REPLICA IDENTITY FULL",
                "CREATE PUBLICATION pub FOR TABLE items");
        db.createSlot();
        return db;
    }
}
