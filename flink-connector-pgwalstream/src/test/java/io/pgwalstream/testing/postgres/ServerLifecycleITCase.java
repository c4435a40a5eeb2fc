package io.pgwalstream.testing.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Servers never outlive the JVM that started them, however it ends. */
@Timeout(180)
class ServerLifecycleITCase {

    @Test
    void closeStopsThePostmasterAndRemovesItsDirectory() throws Exception {
        PostgresServer server = PostgresServer.start(PostgresVersion.DEFAULT);
        long postmaster = postmasterPid(server.dataDirectory());
        Path directory = server.directory();

        server.close();

        awaitExit(postmaster);
        assertThat(directory).doesNotExist();
    }

    @Test
    void aKilledJvmLeavesNoPostmasterBehind() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        for (String property :
                List.of(
                        PostgresBinaries.BINARIES_DIR_PROPERTY,
                        ServerProcessUser.USER_PROPERTY,
                        "pgwalstream.postgres.work.dir")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add(ServerInChildJvm.class.getName());
        command.add(Integer.toString(PostgresVersion.DEFAULT.major()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();

        long postmaster = -1;
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("POSTMASTER ")) {
                    postmaster = Long.parseLong(line.substring("POSTMASTER ".length()));
                    break;
                }
            }
            assertThat(postmaster).as("the child JVM started a server").isPositive();
            assertThat(ProcessHandle.of(postmaster)).isPresent();

            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        awaitExit(postmaster);
    }

    private static long postmasterPid(Path dataDirectory) throws Exception {
        return Long.parseLong(
                Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
    }

    private static void awaitExit(long pid) throws Exception {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            process.get().onExit().get(30, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("postmaster %s is gone", pid)
                .isFalse();
    }
}
