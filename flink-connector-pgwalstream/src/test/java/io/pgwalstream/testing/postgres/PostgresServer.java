package io.pgwalstream.testing.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server started from the Maven Central binaries, configured for logical
 * replication tests. Use {@link PostgresServers#shared} (or the JUnit extensions) rather than
 * starting servers by hand: one server per major version is shared by all tests of a JVM.
 *
 * <p>Every server listens on a free loopback port with {@code wal_level=logical}, room for many
 * slots and walsenders, prepared transactions enabled and a tiny {@code logical_decoding_work_mem}
 * so that large transactions really stream. The superuser {@value #SUPERUSER} is trusted on
 * 127.0.0.1; the role {@value #SCRAM_USER} (LOGIN REPLICATION) must authenticate with SCRAM.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);

    public static final String SUPERUSER = "postgres";
    public static final String SCRAM_USER = "walstream_scram";
    public static final String SCRAM_PASSWORD = "scram-Secret-42";
    static final String LOG_DIR_PROPERTY = "pgwalstream.postgres.log.dir";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final int START_ATTEMPTS = 3;

    private final PostgresVersion version;
    private final Path installation;
    private final Path directory;
    private final Path dataDirectory;
    private final Path logFile;
    private final ServerProcessUser user;
    private int port;
    private volatile boolean running;

    private PostgresServer(PostgresVersion version, Path installation, ServerProcessUser user)
            throws IOException {
        this.version = version;
        this.installation = installation;
        this.user = user;
        Files.createDirectories(PostgresHarnessPaths.servers());
        this.directory =
                PostgresHarnessPaths.servers()
                        .resolve(
                                "pg"
                                        + version.major()
                                        + "-"
                                        + ProcessHandle.current().pid()
                                        + "-"
                                        + SEQUENCE.incrementAndGet());
        this.dataDirectory = directory.resolve("data");
        this.logFile = directory.resolve("postgres.log");
    }

    /** Creates, configures and starts a new server. Prefer {@link PostgresServers#shared}. */
    public static PostgresServer start(PostgresVersion version) {
        Path installation = PostgresBinaries.installation(version);
        ServerProcessUser user = ServerProcessUser.detect();
        try {
            PostgresServer server = new PostgresServer(version, installation, user);
            server.initialize();
            server.startWithFreePort();
            server.createRoles();
            LOG.info(
                    "Started {} on 127.0.0.1:{} as {} (data {})",
                    version.displayName(),
                    server.port,
                    user,
                    server.dataDirectory);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + version.displayName(), e);
        }
    }

    private void initialize() throws IOException {
        Files.createDirectories(directory);
        Files.writeString(
                directory.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
        user.takeOwnership(directory);
        Processes.run(
                user.wrap(
                        List.of(
                                bin("initdb"),
                                "-D",
                                dataDirectory.toString(),
                                "-U",
                                SUPERUSER,
                                "--auth=trust",
                                "--encoding=UTF8",
                                "--locale=C",
                                "--no-sync")),
                directory);
        Files.writeString(
                dataDirectory.resolve("pg_hba.conf"),
                String.join(
                        "\n",
                        "# written by the pg-walstream test harness",
                        "local all all trust",
                        "host all " + SUPERUSER + " 127.0.0.1/32 trust",
                        "host replication " + SUPERUSER + " 127.0.0.1/32 trust",
                        "host all all 127.0.0.1/32 scram-sha-256",
                        "host replication all 127.0.0.1/32 scram-sha-256",
                        ""));
    }

    private void startWithFreePort() throws IOException {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            port = freeLoopbackPort();
            writeSettings();
            try {
                Processes.run(
                        user.wrap(
                                List.of(
                                        bin("pg_ctl"),
                                        "-D",
                                        dataDirectory.toString(),
                                        "-l",
                                        logFile.toString(),
                                        "-w",
                                        "-t",
                                        "60",
                                        "start")),
                        directory);
                running = true;
                PostgresServers.watchUntilJvmExits(this);
                return;
            } catch (IllegalStateException e) {
                // Most likely another process took the port between probing and binding.
                last = e;
                LOG.warn("{} did not start on port {}: {}", version.displayName(), port, tail());
            }
        }
        throw new IllegalStateException(
                version.displayName() + " did not start. Server log:\n" + tail(), last);
    }

    private void writeSettings() throws IOException {
        String settings =
                String.join(
                        "\n",
                        "",
                        "# pg-walstream test harness",
                        "listen_addresses = '127.0.0.1'",
                        "port = " + port,
                        "unix_socket_directories = '" + directory + "'",
                        "wal_level = logical",
                        "max_replication_slots = 40",
                        "max_wal_senders = 40",
                        "max_connections = 120",
                        "max_prepared_transactions = 20",
                        "logical_decoding_work_mem = '64kB'",
                        "shared_buffers = '64MB'",
                        "fsync = off",
                        "full_page_writes = off",
                        "max_wal_size = '1GB'",
                        "password_encryption = 'scram-sha-256'",
                        "log_line_prefix = '%m [%p] %q%u@%d '",
                        "");
        Path autoConf = dataDirectory.resolve("harness.conf");
        Files.writeString(autoConf, settings);
        Path conf = dataDirectory.resolve("postgresql.conf");
        String include = "include = 'harness.conf'";
        if (!Files.readString(conf).contains(include)) {
            Files.writeString(conf, "\n" + include + "\n", StandardOpenOption.APPEND);
        }
        user.takeOwnership(directory);
    }

    private void createRoles() {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE ROLE "
                            + SCRAM_USER
                            + " LOGIN REPLICATION PASSWORD '"
                            + SCRAM_PASSWORD
                            + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test roles on " + this, e);
        }
    }

    /** Stops the server immediately; also called at JVM exit for shared servers. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            Processes.run(
                    user.wrap(
                            List.of(
                                    bin("pg_ctl"),
                                    "-D",
                                    dataDirectory.toString(),
                                    "-m",
                                    "immediate",
                                    "-w",
                                    "stop")),
                    directory);
        } catch (RuntimeException e) {
            LOG.warn("Stopping {} failed: {}", this, e.getMessage());
        }
        keepLog();
        try {
            PostgresBinaries.deleteRecursively(directory);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", directory, e.getMessage());
        }
    }

    private void keepLog() {
        String logDir = System.getProperty(LOG_DIR_PROPERTY);
        if (logDir == null || !Files.exists(logFile)) {
            return;
        }
        try {
            Path target = Path.of(logDir);
            Files.createDirectories(target);
            Files.copy(
                    logFile,
                    target.resolve(directory.getFileName() + ".log"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("Cannot keep the server log of {}: {}", this, e.getMessage());
        }
    }

    public PostgresVersion version() {
        return version;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public boolean isRunning() {
        return running;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    Path directory() {
        return directory;
    }

    public Path installation() {
        return installation;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
    }

    /** A superuser connection to the {@code postgres} database. */
    public Connection connect() throws SQLException {
        return connect("postgres");
    }

    /** A superuser connection to {@code database}. */
    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /** Runs statements as superuser in the {@code postgres} database, each in autocommit. */
    public void execute(String... statements) {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + this + ": " + e.getMessage(), e);
        }
    }

    /** The value of {@code SHOW name}. */
    public String setting(String name) {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("SHOW " + name + " failed on " + this, e);
        }
    }

    /** {@code server_version_num}, e.g. 170005. */
    public int serverVersionNum() {
        return Integer.parseInt(setting("server_version_num"));
    }

    /** Creates a database with a fresh name derived from {@code prefix} and returns the name. */
    public String createDatabase(String prefix) {
        String name =
                prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_")
                        + "_"
                        + SEQUENCE.incrementAndGet();
        execute("CREATE DATABASE " + name);
        return name;
    }

    /** The last lines of the server log, for failure messages. */
    public String tail() {
        try {
            if (!Files.exists(logFile)) {
                return "(no server log)";
            }
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    private String bin(String program) {
        return installation.resolve("bin").resolve(program).toString();
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return version.displayName() + " at 127.0.0.1:" + port;
    }
}
