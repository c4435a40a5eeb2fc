package io.pgwalstream.replication;

import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Database and role names with URL syntax in them reach exactly that database as that role, on
 * every kind of connection the connector opens; and no name can change a driver setting: not {@code
 * sslmode} (the server has no TLS, so a changed sslmode shows), not {@code replication}.
 */
@PostgresTest
@Timeout(120)
class PgConnectionNamesITCase {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** Each character pgjdbc's URL parser treats specially, and some it should not have to. */
    private static final List<String> NAME_PARTS =
            List.of(
                    "a+b",
                    "100%",
                    "a%20b",
                    "x&y",
                    "k=v",
                    "what?",
                    "a/b",
                    "a#b",
                    "with space",
                    "Grüße ü");

    private static final String ROLE_PASSWORD = "Role-Secret-7";

    @Test
    void everyConnectionKindReachesExactlyTheNamedDatabase(PostgresServer pg) throws Exception {
        for (String part : NAME_PARTS) {
            String database = createDatabase(pg, part);
            PgConnectionConfig config = superuser(pg, database);

            try (Connection c = PgConnections.openSql(config)) {
                assertThat(currentDatabase(c)).as("SQL connection").isEqualTo(database);
                assertThat(backendType(pg, pid(c))).isEqualTo("client backend");
            }
            for (Duration linger : List.of(Duration.ZERO, Duration.ofMillis(1))) {
                try (Connection c = asSql(PgConnections.openLogicalReplication(config, linger))) {
                    assertThat(currentDatabase(c))
                            .as("logical replication, linger %s", linger)
                            .isEqualTo(database);
                    assertThat(identifySystemDatabase(c)).isEqualTo(database);
                    assertThat(backendType(pg, pid(c))).isEqualTo("walsender");
                }
                try (Connection c = asSql(PgConnections.openPhysicalReplication(config, linger))) {
                    // A physical walsender is connected to no database, whatever the name.
                    assertThat(identifySystemDatabase(c)).isNull();
                    assertThat(backendType(pg, pid(c))).isEqualTo("walsender");
                }
            }
        }
    }

    @Test
    void aRoleWithUrlSyntaxInItsNameLogsInWithItsPassword(PostgresServer pg) throws Exception {
        String role = "cdc+x?sslmode=disable&user=postgres " + SEQUENCE.incrementAndGet();
        String database = createDatabase(pg, "role db?x=1");
        pg.execute(
                "DROP ROLE IF EXISTS " + SqlIdentifier.quote(role),
                "CREATE ROLE "
                        + SqlIdentifier.quote(role)
                        + " LOGIN REPLICATION PASSWORD '"
                        + ROLE_PASSWORD
                        + "'");
        try {
            PgConnectionConfig config =
                    PgConnectionConfig.of(pg.host(), pg.port(), database, role)
                            .withPassword(ROLE_PASSWORD);
            try (Connection c = PgConnections.openSql(config);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_user, current_database()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(role);
                assertThat(rs.getString(2)).isEqualTo(database);
            }
            try (Connection c = asSql(PgConnections.openLogicalReplication(config))) {
                assertThat(currentDatabase(c)).isEqualTo(database);
            }
            SQLException wrong =
                    catchThrowableOfType(
                            SQLException.class,
                            () ->
                                    PgConnections.openSql(config.withPassword("Wrong-Secret-9"))
                                            .close());
            assertThat(wrong.getSQLState()).isEqualTo("28P01");
            assertThat(String.valueOf(wrong.getMessage()))
                    .doesNotContain("Wrong-Secret-9")
                    .doesNotContain(ROLE_PASSWORD);
        } finally {
            pg.execute("DROP ROLE IF EXISTS " + SqlIdentifier.quote(role));
        }
    }

    /** The issue's example: the name must not turn a required sslmode into a plaintext one. */
    @Test
    void aDatabaseNameCannotTurnTlsOff(PostgresServer pg) throws Exception {
        // Both exist: "shop" is where the name would lead if its tail were read as parameters.
        String shop = createDatabase(pg, "shop");
        String database = shop + "?sslmode=disable";
        createDatabaseNamed(pg, database);
        PgConnectionConfig plain = superuser(pg, database);
        try (Connection c = PgConnections.openSql(plain)) {
            assertThat(currentDatabase(c)).isEqualTo(database);
        }

        PgConnectionConfig requireTls = plain.withDriverProperties(Map.of("sslmode", "require"));

        // The test server has no TLS: with sslmode=require every connection must be refused.
        for (ThrowingOpen open : opens()) {
            SQLException refused =
                    catchThrowableOfType(SQLException.class, () -> open.open(requireTls));
            assertThat((Throwable) refused).as("connected in plaintext").isNotNull();
            assertThat(refused.getMessage()).contains("The server does not support SSL");
        }
    }

    /** Nor turn TLS on: a name with sslmode=require names a database, nothing else. */
    @Test
    void aDatabaseNameCannotRequireTls(PostgresServer pg) throws Exception {
        PgConnectionConfig missing = superuser(pg, "postgres?sslmode=require");
        for (ThrowingOpen open : databaseOpens()) {
            SQLException error = catchThrowableOfType(SQLException.class, () -> open.open(missing));
            assertThat((Throwable) error).isNotNull();
            assertThat(error.getSQLState()).as(error.getMessage()).isEqualTo("3D000");
            assertThat(error.getMessage())
                    .contains("database \"postgres?sslmode=require\" does not exist");
        }
        // A physical walsender ignores the database; that it connects at all shows that no TLS
        // was asked for.
        openPhysical(missing);

        String database = createDatabase(pg, "postgres?sslmode=require");
        try (Connection c = PgConnections.openSql(superuser(pg, database))) {
            assertThat(currentDatabase(c)).isEqualTo(database);
        }
    }

    /** A plain SQL connection stays one when the name asks pgjdbc for a walsender. */
    @Test
    void aDatabaseNameCannotMakeAConnectionAWalsender(PostgresServer pg) throws Exception {
        PgConnectionConfig missing = superuser(pg, "postgres?replication=database");
        assertThatThrownBy(() -> PgConnections.openSql(missing).close())
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("3D000");

        String database = createDatabase(pg, "postgres?replication=database");
        try (Connection c = PgConnections.openSql(superuser(pg, database))) {
            assertThat(currentDatabase(c)).isEqualTo(database);
            assertThat(backendType(pg, pid(c))).isEqualTo("client backend");
        }
        // And a physical walsender does not become a logical one.
        try (Connection c = asSql(PgConnections.openPhysicalReplication(superuser(pg, database)))) {
            assertThat(identifySystemDatabase(c)).isNull();
        }
    }

    @Test
    void aHostNameCannotCarryTheDatabaseOrSettings(PostgresServer pg) {
        for (String host :
                List.of(
                        pg.host() + "/postgres?sslmode=require",
                        pg.host() + "?replication=database",
                        pg.host() + ":" + pg.port() + "?sslmode=disable",
                        pg.host() + ":sslmode",
                        pg.host() + "&sslmode=disable",
                        pg.host() + "#")) {
            assertThatThrownBy(() -> PgConnectionConfig.of(host, pg.port(), "postgres", "p"))
                    .as(host)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("The PostgreSQL host '" + host + "'");
        }
    }

    @Test
    void severalHostsAllUseThePort(PostgresServer pg) throws Exception {
        String database = createDatabase(pg, "two hosts+");
        PgConnectionConfig config =
                PgConnectionConfig.of(
                        pg.host() + "," + pg.host(), pg.port(), database, PostgresServer.SUPERUSER);
        try (Connection c = PgConnections.openSql(config)) {
            assertThat(currentDatabase(c)).isEqualTo(database);
        }
    }

    /** A host that names its own port is reached there, whatever {@code port} says. */
    @Test
    void aHostMayNameItsOwnPort(PostgresServer pg) throws Exception {
        String database = createDatabase(pg, "own port");
        PgConnectionConfig config =
                PgConnectionConfig.of(
                        "127.0.0.1:1," + pg.host() + ":" + pg.port(),
                        1,
                        database,
                        PostgresServer.SUPERUSER);
        for (ThrowingOpen open : databaseOpens()) {
            open.open(config);
        }
        try (Connection c = PgConnections.openSql(config)) {
            assertThat(currentDatabase(c)).isEqualTo(database);
        }
    }

    @FunctionalInterface
    private interface ThrowingOpen {
        void open(PgConnectionConfig config) throws SQLException;
    }

    /** Every way the connector opens a connection to a database; each closes what it opened. */
    private static List<ThrowingOpen> databaseOpens() {
        return List.of(
                config -> PgConnections.openSql(config).close(),
                config -> asSql(PgConnections.openLogicalReplication(config)).close(),
                config ->
                        asSql(PgConnections.openLogicalReplication(config, Duration.ofMillis(1)))
                                .close());
    }

    /** Every way the connector opens a connection. */
    private static List<ThrowingOpen> opens() {
        List<ThrowingOpen> all = new ArrayList<>(databaseOpens());
        all.add(PgConnectionNamesITCase::openPhysical);
        return all;
    }

    private static void openPhysical(PgConnectionConfig config) throws SQLException {
        asSql(PgConnections.openPhysicalReplication(config)).close();
    }

    /** pgjdbc's connection class implements both interfaces. */
    private static Connection asSql(PGConnection replication) {
        return (Connection) replication;
    }

    /** A new database whose name is {@code base} plus a unique suffix (keeping special ends). */
    private static String createDatabase(PostgresServer pg, String base) {
        return createDatabaseNamed(pg, SEQUENCE.incrementAndGet() + "_" + base);
    }

    private static String createDatabaseNamed(PostgresServer pg, String name) {
        pg.execute(
                "DROP DATABASE IF EXISTS " + SqlIdentifier.quote(name),
                "CREATE DATABASE " + SqlIdentifier.quote(name));
        return name;
    }

    private static PgConnectionConfig superuser(PostgresServer pg, String database) {
        return PgConnectionConfig.of(pg.host(), pg.port(), database, PostgresServer.SUPERUSER);
    }

    private static String currentDatabase(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The dbname column of IDENTIFY_SYSTEM: the database of a logical walsender, else null. */
    private static String identifySystemDatabase(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("IDENTIFY_SYSTEM")) {
            rs.next();
            return rs.getString(4);
        }
    }

    private static int pid(Connection c) throws SQLException {
        return c.unwrap(PGConnection.class).getBackendPID();
    }

    private static String backendType(PostgresServer pg, int pid) throws SQLException {
        try (Connection c = pg.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT backend_type FROM pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("backend %d", pid).isTrue();
                return rs.getString(1);
            }
        }
    }
}
