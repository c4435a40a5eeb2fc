package io.pgwalstream.replication;

import io.pgwalstream.testing.postgres.EveryPostgresVersion;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PgPublicationManager} against real PostgreSQL 14–18, with names that need quoting: quotes,
 * spaces, upper case and non-ASCII characters in publication, schema and table names.
 */
@PostgresTest
@Timeout(120)
class PgPublicationManagerITCase {

    private static final String PUBLICATION = "My \"Pub\" ü";
    private static final TableName ORDER_ITEMS = TableName.of("Sales ✓", "Order Items");
    private static final TableName CUSTOMERS = TableName.of("Sales ✓", "Kunden \"VIP\"");
    private static final TableName PLAIN = TableName.of("public", "plain");

    /** ensure creates the publication with exotic names, and describe reads it back. */
    @EveryPostgresVersion
    void ensureCreatesAPublicationWithNamesThatNeedQuoting(PostgresServer pg) throws SQLException {
        try (Connection c = database(pg, "pub_create")) {
            PgPublicationManager publications = PgPublicationManager.on(c);
            assertThat(publications.describe(PUBLICATION)).isEmpty();

            publications.ensure(PUBLICATION, List.of(ORDER_ITEMS, CUSTOMERS, ORDER_ITEMS), true);

            PublicationInfo info = publications.describe(PUBLICATION).orElseThrow();
            assertThat(info.name()).isEqualTo(PUBLICATION);
            assertThat(info.allTables()).isFalse();
            assertThat(info.tables()).containsExactly(CUSTOMERS, ORDER_ITEMS);
            assertThat(info.operations()).isEqualTo(EnumSet.allOf(PublicationOperation.class));
            assertThat(info.viaPartitionRoot()).isFalse();
            assertThat(info.publishes(PLAIN)).isFalse();
            // Nothing left to do: a second call changes nothing.
            publications.ensure(PUBLICATION, List.of(CUSTOMERS), false);
        }
    }

    /**
     * Without permission to create, a missing publication fails with the exact CREATE statement,
     * and running that statement is all it takes.
     */
    @EveryPostgresVersion
    void missingPublicationErrorGivesTheCreateStatement(PostgresServer pg) throws SQLException {
        try (Connection c = database(pg, "pub_missing")) {
            PgPublicationManager publications = PgPublicationManager.on(c);
            String ddl =
                    "CREATE PUBLICATION \"My \"\"Pub\"\" ü\" FOR TABLE"
                            + " \"Sales ✓\".\"Order Items\", \"public\".\"plain\"";

            PublicationException error =
                    catchPublicationError(
                            () ->
                                    publications.ensure(
                                            PUBLICATION, List.of(ORDER_ITEMS, PLAIN), false));

            assertThat(error.reason()).isEqualTo(PublicationException.Reason.MISSING);
            assertThat(error.publication()).isEqualTo(PUBLICATION);
            assertThat(error.ddl()).contains(ddl);
            assertThat(error.getMessage())
                    .contains("Publication \"My \"\"Pub\"\" ü\" does not exist in database")
                    .contains(ddl);
            assertThat(publications.describe(PUBLICATION)).isEmpty();

            execute(c, error.ddl().orElseThrow());
            publications.ensure(PUBLICATION, List.of(ORDER_ITEMS, PLAIN), false);
        }
    }

    /**
     * An existing publication that lacks tables fails with the exact ALTER statement for just those
     * tables, or gets them added when changes are allowed.
     */
    @EveryPostgresVersion
    void missingTablesAreListedWithTheAlterStatementOrAdded(PostgresServer pg) throws SQLException {
        try (Connection c = database(pg, "pub_alter")) {
            PgPublicationManager publications = PgPublicationManager.on(c);
            execute(c, "CREATE PUBLICATION \"My \"\"Pub\"\" ü\" FOR TABLE public.plain");
            String ddl =
                    "ALTER PUBLICATION \"My \"\"Pub\"\" ü\" ADD TABLE"
                            + " \"Sales ✓\".\"Order Items\", \"Sales ✓\".\"Kunden \"\"VIP\"\"\"";

            PublicationException error =
                    catchPublicationError(
                            () ->
                                    publications.ensure(
                                            PUBLICATION,
                                            List.of(PLAIN, ORDER_ITEMS, CUSTOMERS),
                                            false));

            assertThat(error.reason()).isEqualTo(PublicationException.Reason.TABLES_NOT_PUBLISHED);
            assertThat(error.tables()).containsExactly(ORDER_ITEMS, CUSTOMERS);
            assertThat(error.ddl()).contains(ddl);
            assertThat(error.getMessage())
                    .contains(
                            "does not publish [\"Sales ✓\".\"Order Items\", \"Sales ✓\".\"Kunden"
                                    + " \"\"VIP\"\"\"]")
                    .contains(ddl);

            execute(c, error.ddl().orElseThrow());
            publications.ensure(PUBLICATION, List.of(PLAIN, ORDER_ITEMS, CUSTOMERS), false);

            // With permission, ensure adds what is missing itself.
            execute(c, "CREATE PUBLICATION other FOR TABLE public.plain");
            publications.ensure("other", List.of(PLAIN, CUSTOMERS), true);
            assertThat(publications.describe("other").orElseThrow().tables())
                    .containsExactly(CUSTOMERS, PLAIN);
        }
    }

    /** Tables that do not exist are reported as such, before any publication is touched. */
    @EveryPostgresVersion
    void unknownTablesAreReportedBeforeAnythingIsCreated(PostgresServer pg) throws SQLException {
        try (Connection c = database(pg, "pub_unknown")) {
            PgPublicationManager publications = PgPublicationManager.on(c);
            TableName folded = TableName.of("sales ✓", "order items");
            TableName view = TableName.of("public", "plain_view");
            execute(c, "CREATE VIEW plain_view AS SELECT * FROM plain");

            PublicationException error =
                    catchPublicationError(
                            () ->
                                    publications.ensure(
                                            PUBLICATION, List.of(ORDER_ITEMS, folded, view), true));

            assertThat(error.reason()).isEqualTo(PublicationException.Reason.TABLES_NOT_FOUND);
            assertThat(error.tables()).containsExactly(folded, view);
            assertThat(error.getMessage())
                    .contains("\"sales ✓\".\"order items\"")
                    .contains("case-sensitive");
            assertThat(publications.describe(PUBLICATION)).isEmpty();
        }
    }

    /** FOR ALL TABLES, a restricted publish list and partitioned tables are described right. */
    @EveryPostgresVersion
    void describeReadsAllTablesOperationsAndPartitionedTables(PostgresServer pg)
            throws SQLException {
        try (Connection c = database(pg, "pub_describe")) {
            PgPublicationManager publications = PgPublicationManager.on(c);
            execute(
                    c,
                    "CREATE TABLE \"Sales ✓\".\"Events\" (id int, day date) PARTITION BY RANGE"
                            + " (day)",
                    "CREATE TABLE \"Sales ✓\".\"Events 2025\" PARTITION OF \"Sales ✓\".\"Events\""
                            + " FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                    "CREATE PUBLICATION everything FOR ALL TABLES",
                    "CREATE PUBLICATION inserts FOR TABLE public.plain WITH (publish = 'insert')",
                    "CREATE PUBLICATION parts FOR TABLE \"Sales ✓\".\"Events\"",
                    "CREATE PUBLICATION roots FOR TABLE \"Sales ✓\".\"Events\""
                            + " WITH (publish_via_partition_root = true)");
            TableName events = TableName.of("Sales ✓", "Events");
            TableName events2025 = TableName.of("Sales ✓", "Events 2025");

            PublicationInfo everything = publications.describe("everything").orElseThrow();
            assertThat(everything.allTables()).isTrue();
            assertThat(everything.tables()).contains(ORDER_ITEMS, CUSTOMERS, PLAIN);
            assertThat(everything.publishes(TableName.of("nowhere", "nothing"))).isTrue();

            PublicationInfo inserts = publications.describe("inserts").orElseThrow();
            assertThat(inserts.operations()).containsExactly(PublicationOperation.INSERT);
            assertThat(inserts.publishes(PublicationOperation.DELETE)).isFalse();

            // Without publish_via_partition_root the view lists the partitions, not the root.
            PublicationInfo parts = publications.describe("parts").orElseThrow();
            assertThat(parts.tables()).containsExactly(events, events2025);
            assertThat(publications.describe("roots").orElseThrow().tables())
                    .containsExactly(events);
            assertThat(publications.describe("roots").orElseThrow().viaPartitionRoot()).isTrue();
            publications.ensure("parts", List.of(events), false);
            publications.ensure("everything", List.of(events, PLAIN), false);

            if (pg.version().major() >= 15) {
                execute(c, "CREATE PUBLICATION by_schema FOR TABLES IN SCHEMA \"Sales ✓\"");
                PublicationInfo bySchema = publications.describe("by_schema").orElseThrow();
                assertThat(bySchema.tables())
                        .containsExactly(events, events2025, CUSTOMERS, ORDER_ITEMS);
                publications.ensure("by_schema", List.of(events, ORDER_ITEMS), false);
            }
        }
    }

    /**
     * A user who does not own the tables cannot create the publication: the error carries the
     * statement, the server's reason and SQLSTATE, and what to do.
     */
    @Test
    void refusedDdlNamesTheStatementAndTheFix(PostgresServer pg) throws SQLException {
        try (Connection owner = database(pg, "pub_refused")) {
            String db = owner.getCatalog();
            Properties props = new Properties();
            props.setProperty("user", PostgresServer.SCRAM_USER);
            props.setProperty("password", PostgresServer.SCRAM_PASSWORD);
            execute(owner, "GRANT CREATE ON DATABASE " + db + " TO " + PostgresServer.SCRAM_USER);
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(db), props)) {
                PgPublicationManager publications = PgPublicationManager.on(c);

                PublicationException error =
                        catchPublicationError(
                                () -> publications.ensure("refused", List.of(PLAIN), true));

                assertThat(error.reason()).isEqualTo(PublicationException.Reason.FAILED);
                assertThat(error.sqlState()).isEqualTo("42501");
                assertThat(error.ddl())
                        .contains("CREATE PUBLICATION \"refused\" FOR TABLE \"public\".\"plain\"");
                assertThat(error.getMessage())
                        .contains("Could not create publication \"refused\"")
                        .contains("CREATE PUBLICATION \"refused\" FOR TABLE \"public\".\"plain\"")
                        .contains("owner of the tables or a superuser");
            }
        }
    }

    /** Names the server would reject or truncate fail in the client. */
    @Test
    void invalidNamesFailInTheClient(PostgresServer pg) throws SQLException {
        try (Connection c = database(pg, "pub_names")) {
            PgPublicationManager publications = PgPublicationManager.on(c);
            String tooLong = "ü".repeat(32); // 64 bytes in UTF-8
            assertThatThrownBy(() -> publications.describe(tooLong))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("64 bytes");
            assertThatThrownBy(() -> publications.ensure("", List.of(PLAIN), true))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty");
            assertThatThrownBy(() -> publications.ensure("p", List.of(), true))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no tables");
            String longest = "ü".repeat(31) + "x"; // 63 bytes: the server keeps it whole
            publications.ensure(longest, List.of(PLAIN), true);
            assertThat(publications.describe(longest)).isPresent();
        }
    }

    /**
     * Another process running the same CREATE or ALTER between the manager's check and its own
     * statement (two jobs starting at once) is not an error: the manager looks again.
     */
    @Test
    void concurrentCreationOrAdditionIsNotAnError(PostgresServer pg) throws SQLException {
        try (Connection c = database(pg, "pub_race");
                Connection rival = pg.connect(c.getCatalog())) {
            PgPublicationManager publications = PgPublicationManager.on(rivalFirst(c, rival));

            publications.ensure(PUBLICATION, List.of(ORDER_ITEMS), true);
            publications.ensure(PUBLICATION, List.of(ORDER_ITEMS, PLAIN), true);

            assertThat(publications.describe(PUBLICATION).orElseThrow().tables())
                    .containsExactly(ORDER_ITEMS, PLAIN);
        }
    }

    /**
     * {@code connection}, except that each publication DDL statement is first run by {@code rival},
     * so the manager's own statement finds its work done (SQLSTATE 42710).
     */
    private static Connection rivalFirst(Connection connection, Connection rival) {
        return proxy(
                Connection.class,
                connection,
                (method, args) -> {
                    Object result = method.invoke(connection, args);
                    if (!method.getName().equals("createStatement")) {
                        return result;
                    }
                    Statement statement = (Statement) result;
                    return proxy(
                            Statement.class,
                            statement,
                            (m, a) -> {
                                boolean ddl =
                                        m.getName().equals("execute")
                                                && a.length == 1
                                                && a[0].toString().contains(" PUBLICATION ");
                                if (ddl) {
                                    execute(rival, a[0].toString());
                                }
                                return m.invoke(statement, a);
                            });
                });
    }

    private interface Call {
        Object invoke(java.lang.reflect.Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T target, Call call) {
        return type.cast(
                java.lang.reflect.Proxy.newProxyInstance(
                        type.getClassLoader(),
                        new Class<?>[] {type},
                        (p, method, args) -> {
                            try {
                                return call.invoke(method, args == null ? new Object[0] : args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }));
    }

    /** A fresh database with the tables the tests publish. */
    private static Connection database(PostgresServer pg, String prefix) throws SQLException {
        Connection c = pg.connect(pg.createDatabase(prefix));
        execute(
                c,
                "CREATE SCHEMA \"Sales ✓\"",
                "CREATE TABLE \"Sales ✓\".\"Order Items\" (id int PRIMARY KEY, note text)",
                "CREATE TABLE \"Sales ✓\".\"Kunden \"\"VIP\"\"\" (id int PRIMARY KEY)",
                "CREATE TABLE public.plain (id int PRIMARY KEY)");
        return c;
    }

    private static void execute(Connection c, String... statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static PublicationException catchPublicationError(Runnable call) {
        try {
            call.run();
        } catch (PublicationException e) {
            return e;
        }
        throw new AssertionError("Expected a PublicationException");
    }
}
