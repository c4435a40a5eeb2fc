package io.pgwalstream.tools.demo;

import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresVersion;
import io.pgwalstream.tools.ToolMain;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The README's first command: a Flink SQL query over a {@code pg-walstream} table, printing the
 * changelog of a demo table while a writer inserts, updates and deletes rows. Starts PostgreSQL 17
 * from the test harness's Maven binaries unless {@code --url} names a server; runs Flink as a local
 * cluster in this JVM.
 *
 * <p>Exit status: 0 done, 1 the demo failed (or {@code --check} saw a change kind missing), 2 bad
 * arguments.
 */
public final class Demo {

    static final String TABLE = "pgwalstream_demo";

    /** Counted down once the demo has cleaned up, which a Ctrl-C waits for. */
    private static final CountDownLatch FINISHED = new CountDownLatch(1);

    /** Set before the result is closed on purpose: the printer's read then ends with an error. */
    private static volatile boolean closing;

    private Demo() {}

    public static void main(String[] args) {
        ToolMain.exit("Demo", args, DemoOptions::parse, Demo::run);
    }

    static int run(DemoOptions options) throws Exception {
        try {
            return runAndCleanUp(options);
        } finally {
            FINISHED.countDown();
        }
    }

    private static int runAndCleanUp(DemoOptions options) throws Exception {
        PostgresServer started = null;
        String host;
        int port;
        String database;
        Connection sql;
        if (options.jdbcUrl() == null) {
            say("Starting PostgreSQL 17 (embedded binaries from Maven Central) ...");
            started = PostgresServer.start(PostgresVersion.ofMajor(17));
            host = started.host();
            port = started.port();
            database = started.createDatabase("demo");
            sql = started.connect(database);
        } else {
            URI server = DemoOptions.server(options.jdbcUrl());
            host = server.getHost();
            port = server.getPort() < 0 ? 5432 : server.getPort();
            Properties props = new Properties();
            props.setProperty("user", options.user());
            if (options.password() != null) {
                props.setProperty("password", options.password());
            }
            sql = DriverManager.getConnection(options.jdbcUrl(), props);
            // The name as the server knows it: pgjdbc URL-decodes the URL's path ('+' is a space),
            // and the connector takes 'database-name' literally.
            database = currentDatabase(sql);
        }
        try (PostgresServer ignored = started;
                Connection connection = sql) {
            createDemoObjects(connection);
            say(
                    "PostgreSQL at %s:%d/%s: table %s with REPLICA IDENTITY FULL",
                    host, port, database, TABLE);
            try {
                return stream(options, connection, host, port, database);
            } finally {
                dropDemoObjects(connection);
            }
        }
    }

    private static int stream(
            DemoOptions options, Connection connection, String host, int port, String database)
            throws Exception {
        TableEnvironment tables = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        // Checkpoints are what confirm positions to PostgreSQL (the slot advances at each).
        tables.getConfig().set("execution.checkpointing.interval", "2 s");
        tables.getConfig().set("parallelism.default", "1");
        List<String> lines =
                new ArrayList<>(
                        List.of(
                                "CREATE TABLE orders (",
                                "  id INT,",
                                "  customer STRING,",
                                "  amount DECIMAL(10, 2),",
                                "  status STRING,",
                                "  committed_at TIMESTAMP_LTZ(3) METADATA FROM 'op_ts' VIRTUAL,",
                                "  PRIMARY KEY (id) NOT ENFORCED",
                                ") WITH (",
                                "  'connector' = 'pg-walstream',",
                                "  'hostname' = '" + literal(host) + "',",
                                "  'port' = '" + port + "',",
                                "  'username' = '" + literal(options.user()) + "',",
                                "  'database-name' = '" + literal(database) + "',",
                                "  'table-name' = '" + TABLE + "',",
                                "  'slot.name' = '" + TABLE + "',",
                                "  'publication.name' = '" + TABLE + "'",
                                ")"));
        if (options.password() != null) {
            lines.add(12, "  'password' = '" + literal(options.password()) + "',");
        }
        String ddl = String.join("\n", lines);
        tables.executeSql(ddl);
        say("%s", ddl.replaceAll("'password' = '[^\\n]*'", "'password' = '******'"));
        String query = "SELECT id, customer, amount, status, committed_at FROM orders";
        say("");
        say("Flink SQL> %s", query);
        say(
                "(a writer inserts, updates and deletes rows; %s)",
                options.seconds() == 0
                        ? "Ctrl-C stops"
                        : "stopping after " + options.seconds() + " s");
        say("");
        TableResult result = tables.executeSql(query);
        CloseableIterator<Row> rows = result.collect();

        Map<RowKind, Integer> seen = new EnumMap<>(RowKind.class);
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            stop.countDown();
                            try {
                                // Ctrl-C: let the demo drop its slot and stop its server.
                                FINISHED.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "demo-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);

        DemoWriter writer = new DemoWriter(connection);
        Thread writerThread = new Thread(writer, "demo-writer");
        Thread printer = new Thread(() -> print(rows, seen), "demo-printer");
        printer.setDaemon(true);
        printer.start();
        writerThread.start();
        try {
            if (options.seconds() > 0) {
                stop.await(options.seconds(), TimeUnit.SECONDS);
            } else {
                stop.await();
            }
        } finally {
            writer.stop();
            writerThread.join();
            // Let the last changes arrive (results show at checkpoints), then end the job:
            // closing the result cancels it.
            TimeUnit.SECONDS.sleep(3);
            closing = true;
            rows.close();
            printer.join(TimeUnit.SECONDS.toMillis(10));
            if (stop.getCount() > 0) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        if (writer.failure() != null) {
            throw writer.failure();
        }
        Map<RowKind, Integer> printed;
        synchronized (seen) {
            printed = new EnumMap<>(seen);
        }
        say("");
        say(
                "Printed %d rows: +I %d, -U %d, +U %d, -D %d",
                printed.values().stream().mapToInt(Integer::intValue).sum(),
                printed.getOrDefault(RowKind.INSERT, 0),
                printed.getOrDefault(RowKind.UPDATE_BEFORE, 0),
                printed.getOrDefault(RowKind.UPDATE_AFTER, 0),
                printed.getOrDefault(RowKind.DELETE, 0));
        if (options.check()) {
            for (RowKind kind : RowKind.values()) {
                if (printed.getOrDefault(kind, 0) == 0) {
                    System.err.println("--check: no " + kind.shortString() + " row was printed");
                    return 1;
                }
            }
        }
        return 0;
    }

    private static void print(CloseableIterator<Row> rows, Map<RowKind, Integer> seen) {
        try {
            while (rows.hasNext()) {
                Row row = rows.next();
                synchronized (seen) {
                    seen.merge(row.getKind(), 1, Integer::sum);
                }
                say(
                        "%s  id=%-4s %-8s %9s  %-9s committed %s",
                        row.getKind().shortString(),
                        row.getField(0),
                        row.getField(1),
                        row.getField(2),
                        row.getField(3),
                        row.getField(4));
            }
        } catch (RuntimeException e) {
            if (!closing) {
                System.err.println("Reading the query result failed: " + e);
            }
        }
    }

    private static void createDemoObjects(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            try (ResultSet rs =
                    s.executeQuery(
                            "SELECT count(*) FROM pg_class WHERE relname = '"
                                    + TABLE
                                    + "' AND relnamespace = 'public'::regnamespace")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    throw new IllegalStateException(
                            "Table public."
                                    + TABLE
                                    + " exists already; the demo creates and drops it. Drop it"
                                    + " or use another database.");
                }
            }
            s.execute(
                    "CREATE TABLE public."
                            + TABLE
                            + " (id int PRIMARY KEY, customer text NOT NULL,"
                            + " amount numeric(10,2), status text)");
            s.execute("ALTER TABLE public." + TABLE + " REPLICA IDENTITY FULL");
            s.execute("CREATE PUBLICATION " + TABLE + " FOR TABLE public." + TABLE);
        }
    }

    /** Drops the slot (once its walsender let go), the publication and the table. */
    private static void dropDemoObjects(Connection c) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Statement s = c.createStatement()) {
            while (true) {
                try {
                    s.execute(
                            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                                    + " WHERE slot_name = '"
                                    + TABLE
                                    + "'");
                    break;
                } catch (SQLException e) {
                    if (!"55006".equals(e.getSQLState()) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            }
            s.execute("DROP PUBLICATION IF EXISTS " + TABLE);
            s.execute("DROP TABLE IF EXISTS public." + TABLE);
        }
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    private static String currentDatabase(Connection sql) throws SQLException {
        try (Statement s = sql.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The text of a SQL string literal: quotes doubled. */
    private static String literal(String value) {
        return value.replace("'", "''");
    }
}
