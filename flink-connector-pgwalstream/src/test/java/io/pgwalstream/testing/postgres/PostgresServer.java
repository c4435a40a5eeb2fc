package io.pgwalstream.testing.postgres;

import io.pgwalstream.testing.Await;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    /** Directories whose contents a base backup leaves out (as pg_basebackup does). */
    private static final Set<String> BACKUP_EXCLUDED_CONTENTS =
            Set.of(
                    "pg_wal",
                    "pg_replslot",
                    "pg_stat_tmp",
                    "pg_dynshmem",
                    "pg_notify",
                    "pg_serial",
                    "pg_snapshots",
                    "pg_subtrans");

    private static final Set<String> BACKUP_EXCLUDED_FILES =
            Set.of(
                    "postmaster.pid",
                    "postmaster.opts",
                    "backup_label",
                    "tablespace_map",
                    "current_logfiles",
                    "pg_internal.init",
                    "standby.signal",
                    "recovery.signal");

    private final PostgresVersion version;
    private final Path installation;
    private final Path directory;
    private final Path dataDirectory;
    private final Path logFile;
    private final ServerProcessUser user;

    /** Settings appended to the harness configuration (a standby's primary_conninfo). */
    private final List<String> extraSettings = new ArrayList<>();

    private int port;
    private volatile boolean running;
    private final List<String> createdDatabases = new CopyOnWriteArrayList<>();

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

    /**
     * Creates and starts a streaming standby of {@code primary} (a dedicated server of the same
     * version): the caller must {@link #close()} it, like any server it started itself.
     *
     * <p>The Maven binaries have no {@code pg_basebackup}, so this takes a low-level base backup
     * over SQL: {@code pg_backup_start} ({@code pg_start_backup} on 14), a copy of the data
     * directory without what {@code pg_basebackup} leaves out (WAL, slots, temporary and runtime
     * files), {@code pg_backup_stop}'s label file written as {@code backup_label}; then {@code
     * standby.signal} and a {@code primary_conninfo} for the superuser. A physical slot named after
     * the standby is created on the primary ({@code primary_slot_name}) so that the primary keeps
     * the WAL the standby still needs; it stays on the primary.
     *
     * <p>Returns once the standby accepts read-only connections and its WAL receiver streams.
     */
    public static PostgresServer startStandbyOf(PostgresServer primary) {
        return startStandbyOf(primary, false);
    }

    /**
     * A standby as {@link #startStandbyOf(PostgresServer)} that also keeps copies of the primary's
     * failover slots (PostgreSQL 17+): {@code sync_replication_slots} and {@code
     * hot_standby_feedback} on the standby, its physical slot in the primary's {@code
     * synchronized_standby_slots} (so no logical change reaches a consumer before the standby has
     * its WAL), and a {@code dbname} in its {@code primary_conninfo}, which slot synchronisation
     * needs.
     */
    public static PostgresServer startFailoverStandbyOf(PostgresServer primary) {
        return startStandbyOf(primary, true);
    }

    private static PostgresServer startStandbyOf(PostgresServer primary, boolean syncSlots) {
        String slot = "harness_standby_" + SEQUENCE.incrementAndGet();
        boolean pg15 = primary.version.major() >= 15;
        try {
            PostgresServer standby =
                    new PostgresServer(primary.version, primary.installation, primary.user);
            Files.createDirectories(standby.directory);
            Files.writeString(
                    standby.directory.resolve("owner.pid"),
                    Long.toString(ProcessHandle.current().pid()));
            try (Connection c = primary.connect();
                    Statement s = c.createStatement()) {
                s.execute("SELECT pg_create_physical_replication_slot('" + slot + "', true)");
                // Non-exclusive backup: it lives as long as this session.
                s.execute(
                        pg15
                                ? "SELECT pg_backup_start('" + slot + "', true)"
                                : "SELECT pg_start_backup('" + slot + "', true, false)");
                copyForBackup(primary.dataDirectory, standby.dataDirectory);
                try (ResultSet rs =
                        s.executeQuery(
                                pg15
                                        ? "SELECT labelfile FROM pg_backup_stop(false)"
                                        : "SELECT labelfile FROM pg_stop_backup(false, false)")) {
                    rs.next();
                    Files.writeString(
                            standby.dataDirectory.resolve("backup_label"), rs.getString(1));
                }
            }
            Files.writeString(standby.dataDirectory.resolve("standby.signal"), "");
            standby.extraSettings.add(
                    "primary_conninfo = 'host="
                            + primary.host()
                            + " port="
                            + primary.port
                            + " user="
                            + SUPERUSER
                            + " application_name="
                            + slot
                            + (syncSlots ? " dbname=postgres" : "")
                            + "'");
            standby.extraSettings.add("primary_slot_name = '" + slot + "'");
            standby.extraSettings.add("hot_standby = on");
            if (syncSlots) {
                standby.extraSettings.add("sync_replication_slots = on");
                standby.extraSettings.add("hot_standby_feedback = on");
                primary.execute(
                        "ALTER SYSTEM SET synchronized_standby_slots = '" + slot + "'",
                        "SELECT pg_reload_conf()");
            }
            standby.user.takeOwnership(standby.directory);
            standby.startWithFreePort();
            standby.awaitWalReceiverStreaming();
            LOG.info(
                    "Started a standby of {} on 127.0.0.1:{} (slot {} on the primary)",
                    primary,
                    standby.port,
                    slot);
            return standby;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a standby of " + primary, e);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot take a base backup of " + primary, e);
        }
    }

    /**
     * Copies a running server's data directory, keeping permissions. Files that vanish while
     * copying are skipped: WAL replay from the backup's start recreates whatever they held.
     */
    private static void copyForBackup(Path source, Path target) throws IOException {
        Files.walkFileTree(
                source,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                            throws IOException {
                        Path relative = source.relativize(dir);
                        if (dir.getFileName().toString().startsWith("pgsql_tmp")) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        Files.copy(
                                dir,
                                target.resolve(relative.toString()),
                                StandardCopyOption.COPY_ATTRIBUTES);
                        boolean excluded =
                                relative.getNameCount() == 1
                                        && BACKUP_EXCLUDED_CONTENTS.contains(relative.toString());
                        // pg_wal keeps its (empty) subdirectories such as archive_status.
                        return excluded && !relative.toString().equals("pg_wal")
                                ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                            throws IOException {
                        Path relative = source.relativize(file);
                        boolean inWal =
                                relative.getNameCount() > 1 && relative.startsWith("pg_wal");
                        if (inWal
                                || BACKUP_EXCLUDED_FILES.contains(file.getFileName().toString())) {
                            return FileVisitResult.CONTINUE;
                        }
                        try {
                            Files.copy(
                                    file,
                                    target.resolve(relative.toString()),
                                    StandardCopyOption.COPY_ATTRIBUTES);
                        } catch (NoSuchFileException vanished) {
                            LOG.debug("{} vanished during the base backup", file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e)
                            throws IOException {
                        if (e instanceof NoSuchFileException) {
                            return FileVisitResult.CONTINUE;
                        }
                        throw e;
                    }
                });
    }

    private void awaitWalReceiverStreaming() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        CountDownLatch pacing = new CountDownLatch(1);
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet rs = s.executeQuery("SELECT status FROM pg_stat_wal_receiver")) {
                    if (rs.next() && "streaming".equals(rs.getString(1))) {
                        return;
                    }
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(
                            "The standby " + this + " does not stream. Server log:\n" + tail());
                }
                pacing.await(50, TimeUnit.MILLISECONDS);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot watch the WAL receiver of " + this, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + this, e);
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
                        String.join("\n", extraSettings),
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

    /**
     * Crashes the server: {@code pg_ctl stop -m immediate}, which ends every backend at once
     * without a shutdown checkpoint, so the next start runs crash recovery. Transactions open at
     * that moment are lost; committed ones survive (the WAL is written, even with {@code fsync =
     * off}, since the operating system keeps running). Start it again with {@link
     * #restartAfterCrash()}; {@link #close()} still cleans up. Only for a server the test started
     * itself: a shared one would fail the other tests of the JVM.
     */
    public synchronized void crash() {
        if (!running) {
            throw new IllegalStateException(this + " is closed");
        }
        pgCtl("-m", "immediate", "-w", "-t", "20", "stop");
        LOG.info("Crashed {} (pg_ctl stop -m immediate)", this);
    }

    /** Starts a crashed server again on its port, returning once it accepts connections. */
    public synchronized void restartAfterCrash() {
        if (!running) {
            throw new IllegalStateException(this + " is closed");
        }
        pgCtl("-l", logFile.toString(), "-w", "-t", "60", "start");
        LOG.info("Restarted {} after a crash", this);
    }

    private void pgCtl(String... arguments) {
        List<String> command =
                new ArrayList<>(List.of(bin("pg_ctl"), "-D", dataDirectory.toString()));
        command.addAll(List.of(arguments));
        Processes.run(user.wrap(command), directory);
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
                                    "-t",
                                    "20",
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

    ServerProcessUser processUser() {
        return user;
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

    /**
     * A superuser connection to {@code database}, any name: passed as a property, not in the URL,
     * where pgjdbc would URL-decode it and read a '?' as the start of parameters.
     */
    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("PGHOST", host());
        props.setProperty("PGPORT", Integer.toString(port));
        props.setProperty("PGDBNAME", database);
        return DriverManager.getConnection("jdbc:postgresql://", props);
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
        createdDatabases.add(name);
        return name;
    }

    /** The databases {@link #createDatabase} made so far, oldest first. */
    List<String> createdDatabases() {
        return List.copyOf(createdDatabases);
    }

    /**
     * Drops the persistent slots in {@code databases} once their walsenders let go (waiting up to
     * {@code patience}); a slot still held after that is left and reported. Slots are limited and
     * pin WAL, so a finished test's slots must not starve the next test.
     */
    void dropSlotsIn(List<String> databases, Duration patience) {
        if (databases.isEmpty() || !running) {
            return;
        }
        List<String> held = new ArrayList<>();
        try (Connection c = connect()) {
            try {
                Await.until(
                        "the slots of " + databases + " to be released",
                        patience,
                        () -> {
                            held.clear();
                            held.addAll(dropIdleSlots(c, databases));
                            return held.isEmpty();
                        });
            } catch (AssertionError e) {
                LOG.warn("Slots {} on {} are still in use; leaving them", held, this);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Cannot drop the slots of {} on {}: {}", databases, this, e.getMessage());
        }
    }

    /** Drops the idle persistent slots in {@code databases}; returns those still held. */
    private static List<String> dropIdleSlots(Connection c, List<String> databases)
            throws SQLException {
        List<String> idle = new ArrayList<>();
        List<String> held = new ArrayList<>();
        try (PreparedStatement query =
                c.prepareStatement(
                        "SELECT slot_name, active FROM pg_replication_slots"
                                + " WHERE NOT temporary AND database = ANY (?)")) {
            query.setArray(1, c.createArrayOf("text", databases.toArray()));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    (rs.getBoolean(2) ? held : idle).add(rs.getString(1));
                }
            }
        }
        try (PreparedStatement drop = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
            for (String slot : idle) {
                drop.setString(1, slot);
                try {
                    drop.execute();
                } catch (SQLException e) {
                    held.add(slot); // taken again between the query and the drop
                }
            }
        }
        return held;
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
