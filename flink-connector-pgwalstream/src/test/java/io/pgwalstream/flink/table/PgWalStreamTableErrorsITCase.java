package io.pgwalstream.flink.table;

import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;
import io.pgwalstream.testing.postgres.WithPostgresVersion;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.pgwalstream.flink.table.SqlTestDb.collect;
import static io.pgwalstream.flink.table.SqlTestDb.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The documented planning-time errors: each names what is wrong and the option or DDL that fixes
 * it, and none shows the password.
 */
@PostgresTest
@Timeout(300)
class PgWalStreamTableErrorsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String PASSWORD = "Not-To-Be-Shown-41";

    private TableEnvironment tEnv;

    @BeforeEach
    void tableEnvironment() {
        tEnv = SqlTestDb.tableEnvironment();
    }

    @Test
    void aWrongOptionIsNamed(PostgresServer pg) throws Exception {
        SqlTestDb db = withFullItems(pg, "options");

        assertThat(planningError(db, "id INT, v STRING", "scan.startup.mode", "earliest-offset"))
                .contains("scan.startup.mode")
                .contains("committed-offset")
                .contains("initial");
        assertThat(planningError(db, "id INT, v STRING", "slot.nmae", "x"))
                .contains("Unsupported options")
                .contains("slot.nmae");
        assertThat(planningError(db, "id INT, v STRING", "scan.startup.mode", "specific-lsn"))
                .contains(
                        "Option 'scan.startup.specific-lsn' is required when 'scan.startup.mode'"
                                + " = 'specific-lsn'");
        assertThat(
                        planningError(
                                db,
                                "id INT, v STRING",
                                "scan.bounded.mode",
                                "specific-lsn",
                                "scan.bounded.specific-lsn",
                                "16B3748"))
                .contains("Option 'scan.bounded.specific-lsn' '16B3748' is not an LSN");
        assertThat(planningError(db, "id INT, nope STRING"))
                .contains("Column `nope`")
                .contains("is not a column of table \"public\".\"items\"");
        assertThat(planningError(db, "id INT, v INT")).contains("Column \"v\"").contains("text");
    }

    @Test
    void aMissingPublicationIsExplainedWithItsDdl(PostgresServer pg) throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, "nopub");
        db.sql("CREATE TABLE items (id int, v text)", "ALTER TABLE items REPLICA IDENTITY FULL");

        assertThat(planningError(db, "id INT, v STRING", "publication.name", "absent_pub"))
                .contains("Publication \"absent_pub\" (option 'publication.name') does not exist")
                .contains("CREATE PUBLICATION \"absent_pub\" FOR TABLE \"public\".\"items\"")
                .contains("'publication.auto-create' = 'true'");
    }

    @Test
    void aTableWithoutKeyUnderDefaultIdentityIsExplained(PostgresServer pg) throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, "nokey");
        db.sql("CREATE TABLE items (id int, v text)", "CREATE PUBLICATION pub FOR TABLE items");

        assertThat(planningError(db, "id INT, v STRING", "publication.name", "pub"))
                .contains("has REPLICA IDENTITY DEFAULT but no primary key")
                .contains("ALTER TABLE \"public\".\"items\" REPLICA IDENTITY FULL");
    }

    @Test
    void aKeyedTableNeedsTheKeyDeclaredOrFullIdentity(PostgresServer pg) throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, "needkey");
        db.sql(
                "CREATE TABLE items (id int PRIMARY KEY, v text)",
                "CREATE PUBLICATION pub FOR TABLE items");

        assertThat(planningError(db, "id INT, v STRING", "publication.name", "pub"))
                .contains("Declare PRIMARY KEY (`id`) NOT ENFORCED")
                .contains("ALTER TABLE \"public\".\"items\" REPLICA IDENTITY FULL");
        assertThat(
                        planningError(
                                db,
                                "id INT, v STRING, PRIMARY KEY (v) NOT ENFORCED",
                                "publication.name",
                                "pub"))
                .contains("PRIMARY KEY (v)")
                .contains("differs from the replica identity (id)");
        assertThat(
                        planningError(
                                db,
                                "id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED",
                                "publication.name",
                                "pub",
                                "changelog-mode",
                                "all"))
                .contains("'changelog-mode' = 'all' needs the whole old row")
                .contains("REPLICA IDENTITY FULL");
    }

    /**
     * The initial snapshot (the default startup mode) is checked when the query is planned: a table
     * the role may not read, and a chunk key column that cannot chunk the table, fail there, before
     * any slot exists.
     */
    @Test
    void aSnapshotThatCannotReadTheTableFailsAtPlanning(PostgresServer pg) throws Exception {
        SqlTestDb db = withFullItems(pg, "snapcheck");
        assertThat(
                        planningError(
                                db,
                                "id INT, v STRING",
                                "username",
                                PostgresServer.SCRAM_USER,
                                "password",
                                PostgresServer.SCRAM_PASSWORD))
                .contains("may not SELECT from \"public\".\"items\"")
                .contains("GRANT SELECT ON \"public\".\"items\" TO \"" + PostgresServer.SCRAM_USER)
                .doesNotContain(PostgresServer.SCRAM_PASSWORD);
        assertThat(
                        planningError(
                                db,
                                "id INT, v STRING",
                                "scan.incremental.snapshot.chunk.key-column",
                                "v"))
                .contains("allows NULL in \"v\"")
                .contains("scan.incremental.snapshot.chunk.key-column");
        assertThat(
                        db.query(
                                "SELECT count(*) FROM pg_replication_slots WHERE database ="
                                        + " current_database()"))
                .containsExactly("0");
        // Without a snapshot the same role plans (reading changes needs no SELECT).
        tEnv.executeSql(
                db.ddl(
                        "no_snapshot",
                        "id INT, v STRING",
                        "table-name",
                        "items",
                        "publication.name",
                        "pub",
                        "username",
                        PostgresServer.SCRAM_USER,
                        "password",
                        PostgresServer.SCRAM_PASSWORD,
                        "scan.startup.mode",
                        "latest-offset"));
        assertThat(tEnv.explainSql("SELECT * FROM no_snapshot")).contains("no_snapshot");
    }

    /**
     * PostgreSQL 14 has neither two-phase decoding nor parallel streaming nor origin filtering, and
     * speaks pgoutput 2 at most: asking for any of them fails when the query is planned, naming the
     * option and the value that works, before a slot exists.
     */
    @Test
    @WithPostgresVersion(14)
    void decodingFeaturesPostgres14LacksFailAtPlanningNamingTheOption(PostgresServer pg)
            throws Exception {
        SqlTestDb db = withFullItems(pg, "pg14features");

        assertThat(planningError(db, "id INT, v STRING", "decoding.two-phase", "true"))
                .contains("Option 'decoding.two-phase' = 'true' asks for two-phase decoding")
                .contains("needs PostgreSQL 15 or newer, but the server is PostgreSQL 14.")
                .contains("set it to 'false'");
        assertThat(planningError(db, "id INT, v STRING", "decoding.streaming", "parallel"))
                .contains("Option 'decoding.streaming' = 'parallel'")
                .contains("needs PostgreSQL 16 or newer")
                .contains("set it to 'on'");
        assertThat(planningError(db, "id INT, v STRING", "decoding.origin", "none"))
                .contains("Option 'decoding.origin' = 'none'")
                .contains("needs PostgreSQL 16 or newer");
        assertThat(planningError(db, "id INT, v STRING", "slot.failover", "true"))
                .contains("Option 'slot.failover' = 'true'")
                .contains("needs PostgreSQL 17 or newer")
                .contains("set it to 'false'");
        assertThat(planningError(db, "id INT, v STRING", "decoding.protocol-version", "3"))
                .contains("Option 'decoding.protocol-version' = '3' is more than PostgreSQL 14.")
                .contains("Set it to 2 or lower");
        assertThat(
                        db.query(
                                "SELECT count(*) FROM pg_replication_slots WHERE database ="
                                        + " current_database()"))
                .containsExactly("0");
        // The same table without those options plans on PostgreSQL 14.
        tEnv.executeSql(
                db.ddl(
                        "plain",
                        "id INT, v STRING",
                        "table-name",
                        "items",
                        "publication.name",
                        "pub"));
        assertThat(tEnv.explainSql("SELECT * FROM plain")).contains("plain");
    }

    /**
     * A role that may log in but not replicate is refused at planning with the ALTER ROLE that
     * fixes it; the walsender would only say "permission denied" once the job runs.
     */
    @Test
    void aRoleWithoutReplicationFailsAtPlanningWithTheAlterRole(PostgresServer pg)
            throws Exception {
        SqlTestDb db = withFullItems(pg, "norepl");
        createRoleWithoutReplication(pg);
        db.sql("GRANT SELECT ON items TO " + NO_REPLICATION_ROLE);

        assertThat(
                        planningError(
                                db,
                                "id INT, v STRING",
                                "username",
                                NO_REPLICATION_ROLE,
                                "password",
                                NO_REPLICATION_PASSWORD))
                .contains("The role \"" + NO_REPLICATION_ROLE + "\" has neither the REPLICATION")
                .contains("ALTER ROLE \"" + NO_REPLICATION_ROLE + "\" REPLICATION")
                .doesNotContain(NO_REPLICATION_PASSWORD);
        assertThat(
                        db.query(
                                "SELECT count(*) FROM pg_replication_slots WHERE database ="
                                        + " current_database()"))
                .containsExactly("0");
    }

    /**
     * An upsert table (a PRIMARY KEY declared) over a publication that publishes inserts only would
     * never see updates and deletes: refused at planning with the ALTER PUBLICATION that keeps what
     * the publication already publishes and adds what is missing.
     */
    @Test
    void aPublicationWithoutUpdatesAndDeletesIsRefusedForAnUpsertTable(PostgresServer pg)
            throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, "inserts");
        db.sql(
                "CREATE TABLE items (id int PRIMARY KEY, v text)",
                "CREATE PUBLICATION pub FOR TABLE items WITH (publish = 'insert, truncate')",
                "CREATE PUBLICATION nodelete FOR TABLE items WITH (publish = 'insert, update')");
        String upsert = "id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED";

        assertThat(planningError(db, upsert, "publication.name", "pub"))
                .contains("Publication \"pub\" does not publish update, delete")
                .contains(
                        "ALTER PUBLICATION \"pub\" SET (publish = 'insert, update, delete,"
                                + " truncate')");
        assertThat(planningError(db, upsert, "publication.name", "nodelete"))
                .contains("Publication \"nodelete\" does not publish delete,")
                .contains(
                        "ALTER PUBLICATION \"nodelete\" SET (publish = 'insert, update, delete')");
        // The same table plans once the publication publishes every row operation.
        db.sql("ALTER PUBLICATION pub SET (publish = 'insert, update, delete')");
        tEnv.executeSql(db.ddl("fixed", upsert, "table-name", "items", "publication.name", "pub"));
        assertThat(tEnv.explainSql("SELECT * FROM fixed")).contains("fixed");
    }

    @Test
    void thePasswordIsNeverShownInErrorsOrPlans(PostgresServer pg) throws Exception {
        SqlTestDb db = withFullItems(pg, "secret");
        // A wrong password: authentication fails at planning time.
        String error =
                planningError(
                        db,
                        "id INT, v STRING",
                        "username",
                        PostgresServer.SCRAM_USER,
                        "password",
                        PASSWORD);
        assertThat(error).contains("password authentication failed").doesNotContain(PASSWORD);
        // Bad options next to the password: Flink lists the options, masking it.
        assertThat(planningError(db, "id INT, v STRING", "password", PASSWORD, "port", "0"))
                .contains("'port'")
                .doesNotContain(PASSWORD);

        tEnv.executeSql(
                db.ddl(
                        "ok",
                        "id INT, v STRING",
                        "table-name",
                        "items",
                        "publication.name",
                        "pub",
                        "password",
                        PASSWORD));
        assertThat(tEnv.explainSql("SELECT * FROM ok")).doesNotContain(PASSWORD);
    }

    /**
     * The documented way to keep the password out of the DDL and so out of SHOW CREATE TABLE:
     * pgjdbc reads it from a .pgpass file on the planning client and on every TaskManager.
     */
    @Test
    void aPgpassFileKeepsThePasswordOutOfTheDdl(PostgresServer pg, @TempDir Path dir)
            throws Exception {
        SqlTestDb db = withFullItems(pg, "pgpass");
        db.sql("GRANT SELECT ON items TO " + PostgresServer.SCRAM_USER);
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(
                pgpass,
                pg.host()
                        + ":"
                        + pg.port()
                        + ":*:"
                        + PostgresServer.SCRAM_USER
                        + ":"
                        + PostgresServer.SCRAM_PASSWORD
                        + "\n");
        String previous = System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        try {
            db.createSlot();
            db.sql("INSERT INTO items VALUES (1, 'a')");
            tEnv.executeSql(
                    db.ddl(
                            "src",
                            "id INT, v STRING",
                            "table-name",
                            "items",
                            "publication.name",
                            "pub",
                            "username",
                            PostgresServer.SCRAM_USER,
                            "scan.bounded.mode",
                            "latest-offset"));

            assertThat(collect(tEnv, "SELECT * FROM src")).containsExactly("+I[1, a]");
            List<String> shown = new ArrayList<>();
            try (CloseableIterator<Row> it = tEnv.executeSql("SHOW CREATE TABLE src").collect()) {
                it.forEachRemaining(r -> shown.add(r.toString()));
            }
            assertThat(String.join("\n", shown))
                    .contains("'username' = '" + PostgresServer.SCRAM_USER + "'")
                    .doesNotContain(PostgresServer.SCRAM_PASSWORD);
        } finally {
            if (previous == null) {
                System.clearProperty("org.postgresql.pgpassfile");
            } else {
                System.setProperty("org.postgresql.pgpassfile", previous);
            }
        }
    }

    /**
     * Creates a table with the given columns and options, plans a query on it, returns the error.
     */
    private String planningError(SqlTestDb db, String columns, String... options) {
        String name = "t" + Math.abs(System.nanoTime() % 1_000_000);
        List<String> all = new ArrayList<>(List.of("table-name", "items"));
        all.addAll(List.of(options));
        if (!all.contains("publication.name")) {
            all.addAll(List.of("publication.name", "pub"));
        }
        tEnv.executeSql(db.ddl(name, columns, all.toArray(new String[0])));
        Throwable failure = catchThrowable(() -> tEnv.explainSql("SELECT * FROM " + name));
        assertThat(failure).as("planning %s fails", name).isNotNull();
        return messages(failure);
    }

    private static final String NO_REPLICATION_ROLE = "walstream_norepl";
    private static final String NO_REPLICATION_PASSWORD = "No-Replication-Pw-73";

    /** A role that may log in with a password, without REPLICATION (roles span the cluster). */
    static void createRoleWithoutReplication(PostgresServer pg) {
        pg.execute(
                "DO $$ BEGIN CREATE ROLE "
                        + NO_REPLICATION_ROLE
                        + " LOGIN NOREPLICATION PASSWORD '"
                        + NO_REPLICATION_PASSWORD
                        + "'; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    }

    private static SqlTestDb withFullItems(PostgresServer pg, String prefix) throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, prefix);
        db.sql(
                "CREATE TABLE items (id int, v text)",
                "ALTER TABLE items REPLICA IDENTITY FULL",
                "CREATE PUBLICATION pub FOR TABLE items");
        return db;
    }
}
