package io.pgwalstream.flink.table;

import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.SQLException;

import static io.pgwalstream.flink.table.SqlTestDb.collect;
import static io.pgwalstream.flink.table.SqlTestDb.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The SQL connector on a MiniCluster against a real PostgreSQL 17: row kinds and TRUNCATE. */
@PostgresTest
@Timeout(300)
class PgWalStreamTableITCase {

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
    void aFullTableEmitsEveryRowKindAndSkipsTruncateWhenAskedTo(PostgresServer pg)
            throws Exception {
        SqlTestDb db = fullItems(pg, "full");
        db.sql(
                "INSERT INTO items VALUES (1, 'a'), (2, 'b')",
                "UPDATE items SET v = 'bb' WHERE id = 2",
                "DELETE FROM items WHERE id = 1",
                "TRUNCATE items",
                "INSERT INTO items VALUES (3, 'c')");
        tEnv.executeSql(
                db.ddl(
                        "src",
                        "id INT, v STRING",
                        "table-name",
                        "items",
                        "publication.name",
                        "pub",
                        "scan.startup.mode",
                        "committed-offset",
                        "scan.bounded.mode",
                        "latest-offset",
                        "truncate.mode",
                        "skip"));

        assertThat(collect(tEnv, "SELECT * FROM src"))
                .containsExactly(
                        "+I[1, a]", "+I[2, b]", "-U[2, b]", "+U[2, bb]", "-D[1, a]", "+I[3, c]");
    }

    @Test
    void truncateFailsTheJobByDefaultNamingTheOption(PostgresServer pg) throws Exception {
        SqlTestDb db = fullItems(pg, "truncate");
        db.sql("INSERT INTO items VALUES (1, 'a')", "TRUNCATE items");
        tEnv.executeSql(
                db.ddl(
                        "src",
                        "id INT, v STRING",
                        "table-name",
                        "items",
                        "publication.name",
                        "pub",
                        "scan.startup.mode",
                        "committed-offset",
                        "scan.bounded.mode",
                        "latest-offset"));

        Throwable failure = catchThrowable(() -> collect(tEnv, "SELECT * FROM src"));

        assertThat(messages(failure))
                .contains("TRUNCATE of \"public\".\"items\"")
                .contains("'truncate.mode' = 'skip'");
    }

    @Test
    void aDefaultIdentityTableWithADeclaredKeyIsReadAsUpserts(PostgresServer pg) throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, "upsert");
        db.sql(
                "CREATE TABLE items (id int PRIMARY KEY, v text)",
                "CREATE PUBLICATION pub FOR TABLE items");
        db.createSlot();
        db.sql(
                "INSERT INTO items VALUES (1, 'a'), (2, 'b')",
                "UPDATE items SET v = 'bb' WHERE id = 2",
                "UPDATE items SET id = 10 WHERE id = 1",
                "DELETE FROM items WHERE id = 2");
        tEnv.executeSql(
                db.ddl(
                        "src",
                        "id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED",
                        "table-name",
                        "items",
                        "publication.name",
                        "pub",
                        "scan.startup.mode",
                        "committed-offset",
                        "scan.bounded.mode",
                        "latest-offset"));

        assertThat(tEnv.explainSql("SELECT * FROM src")).contains("ChangelogNormalize");
        // The planner normalizes the upsert stream (+U of a new key becomes +I, deletes get the
        // last row back): what a downstream operator sees.
        assertThat(collect(tEnv, "SELECT * FROM src"))
                .containsExactly(
                        "+I[1, a]",
                        "+I[2, b]",
                        "-U[2, b]",
                        "+U[2, bb]",
                        "-D[1, a]",
                        "+I[10, a]",
                        "-D[2, bb]");
        // A projection without the key: the planner keeps the key in the source for
        // ChangelogNormalize.
        assertThat(collect(tEnv, "SELECT v FROM src"))
                .containsExactly("+I[a]", "+I[b]", "-U[b]", "+U[bb]", "-D[a]", "+I[a]", "-D[bb]");
    }

    @Test
    void binaryDecodingReadsUserTypesWithTheCatalogFactsFromPlanning(PostgresServer pg)
            throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, "usertypes");
        db.sql(
                "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TYPE pair AS (a int, b text)",
                "CREATE TABLE items (id int PRIMARY KEY, m mood, p pair, ms mood[], r int4range)",
                "ALTER TABLE items REPLICA IDENTITY FULL",
                "CREATE PUBLICATION pub FOR TABLE items");
        db.createSlot();
        db.sql(
                "INSERT INTO items VALUES"
                        + " (1, 'happy', ROW(7, 'x y'), '{sad,NULL,ok}', '[3,9)')");
        tEnv.executeSql(
                db.ddl(
                        "src",
                        "id INT, m STRING, p STRING, ms ARRAY<STRING>, r STRING",
                        "table-name",
                        "items",
                        "publication.name",
                        "pub",
                        "decoding.binary",
                        "true",
                        "scan.startup.mode",
                        "committed-offset",
                        "scan.bounded.mode",
                        "latest-offset"));

        assertThat(collect(tEnv, "SELECT * FROM src"))
                .containsExactly("+I[1, happy, (7,\"x y\"), [sad, null, ok], [3,9)]");
    }

    /**
     * A database whose name looks like URL parameters is read as itself, by planning, the slot
     * check and the replication connection: no parameter is applied (sslmode=require against this
     * server without TLS, or replication=true on the SQL connections, would fail the job).
     */
    @Test
    void aDatabaseNameWithUrlSyntaxIsReadLiterally(PostgresServer pg) throws Exception {
        String name = "sql+ü 100%?sslmode=require&replication=true#" + pg.port();
        pg.execute("DROP DATABASE IF EXISTS \"" + name + "\"", "CREATE DATABASE \"" + name + "\"");
        SqlTestDb db = new SqlTestDb(pg, name);
        db.sql(
                "CREATE TABLE items (id int, v text)",
                "ALTER TABLE items REPLICA IDENTITY FULL",
                "CREATE PUBLICATION pub FOR TABLE items",
                "SELECT pg_create_logical_replication_slot('literal_name_slot', 'pgoutput')",
                "INSERT INTO items VALUES (1, 'a')");
        tEnv.executeSql(
                "CREATE TABLE src (id INT, v STRING) WITH ('connector' = 'pg-walstream',"
                        + " 'hostname' = '"
                        + pg.host()
                        + "', 'port' = '"
                        + pg.port()
                        + "', 'username' = '"
                        + PostgresServer.SUPERUSER
                        + "', 'database-name' = '"
                        + name
                        + "', 'table-name' = 'items', 'slot.name' = 'literal_name_slot',"
                        + " 'publication.name' = 'pub', 'scan.startup.mode' = 'committed-offset',"
                        + " 'scan.bounded.mode' = 'latest-offset')");

        assertThat(collect(tEnv, "SELECT * FROM src")).containsExactly("+I[1, a]");
    }

    private static SqlTestDb fullItems(PostgresServer pg, String prefix) throws SQLException {
        SqlTestDb db = SqlTestDb.create(pg, prefix);
        db.sql(
                "CREATE TABLE items (id int, v text)",
                "ALTER TABLE items REPLICA IDENTITY FULL",
                "CREATE PUBLICATION pub FOR TABLE items");
        db.createSlot();
        return db;
    }
}
