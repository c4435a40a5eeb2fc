package io.pgwalstream.testing.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One shared server per PostgreSQL major version per JVM, started on first use and stopped when the
 * JVM exits.
 *
 * <p>Two mechanisms guarantee no postmaster outlives its JVM: a shutdown hook stops the servers on
 * a normal exit (also after test failures), and a tiny watchdog process per server stops the
 * postmaster when the JVM dies without running hooks ({@code kill -9}, a surefire timeout).
 * Directories left by dead JVMs are removed the next time the harness starts.
 */
public final class PostgresServers {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServers.class);

    private static final Map<PostgresVersion, PostgresServer> SHARED =
            new EnumMap<>(PostgresVersion.class);
    private static boolean initialized;

    private PostgresServers() {}

    /** The JVM's shared server of {@code version}, started if needed. */
    public static synchronized PostgresServer shared(PostgresVersion version) {
        if (!initialized) {
            removeLeftoversOfDeadJvms();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(PostgresServers::stopAll, "postgres-harness-stop"));
            initialized = true;
        }
        PostgresServer server = SHARED.get(version);
        if (server == null || !server.isRunning()) {
            server = PostgresServer.start(version);
            SHARED.put(version, server);
        }
        return server;
    }

    /** The shared servers started so far. */
    static synchronized Map<PostgresVersion, PostgresServer> started() {
        return Map.copyOf(SHARED);
    }

    private static synchronized void stopAll() {
        // In parallel: the JVM's exit (and surefire's patience) waits for this hook.
        SHARED.values().parallelStream().forEach(PostgresServer::close);
        SHARED.clear();
    }

    /** Starts a process that stops the postmaster as soon as this JVM is gone. */
    static void watchUntilJvmExits(PostgresServer server) {
        Path pidFile = server.dataDirectory().resolve("postmaster.pid");
        String script =
                "while kill -0 "
                        + ProcessHandle.current().pid()
                        + " 2>/dev/null; do sleep 1; done; "
                        + "pid=$(head -n 1 '"
                        + pidFile
                        + "' 2>/dev/null) && kill -QUIT \"$pid\" 2>/dev/null; exit 0";
        try {
            new ProcessBuilder("sh", "-c", script)
                    .redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            LOG.warn("No watchdog for {}: it may outlive a crashed JVM", server, e);
        }
    }

    private static void removeLeftoversOfDeadJvms() {
        Path servers = PostgresHarnessPaths.servers();
        if (!Files.isDirectory(servers)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(servers)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                if (!ownerIsAlive(dir)) {
                    killPostmaster(dir.resolve("data/postmaster.pid"));
                    PostgresBinaries.deleteRecursively(dir);
                    LOG.info("Removed a leftover test server directory {}", dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot clean leftover test servers in {}: {}", servers, e.getMessage());
        }
    }

    private static boolean ownerIsAlive(Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve("owner.pid")).trim());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static void killPostmaster(Path pidFile) throws IOException {
        if (Files.exists(pidFile)) {
            String pid = Files.readAllLines(pidFile).get(0).trim();
            Processes.tryRun(List.of("kill", "-QUIT", pid));
        }
    }
}
