package io.pgwalstream.e2e.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM on the test classpath that a lifecycle test starts, reads and finally kills with SIGKILL,
 * so that no shutdown hook runs in it. It receives the e2e system properties of this JVM. Its stdin
 * stays a pipe from this JVM, so a child that waits for end-of-input ends with this JVM.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BufferedReader output;
    private final List<String> seen = new ArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        this.output =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    public static ChildJvm start(Class<?> mainClass, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(JvmCommand.javaExecutable());
        command.add("-Xmx128m");
        command.add("-XX:+UseSerialGC");
        for (String property :
                List.of(
                        FlinkDistribution.DIST_DIR_PROPERTY,
                        E2EPaths.WORK_DIR_PROPERTY,
                        E2EPaths.LAUNCHER_JAR_PROPERTY,
                        E2EPaths.JOBS_JAR_PROPERTY)) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(arguments));
        try {
            return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + mainClass.getName(), e);
        }
    }

    /**
     * Reads the child's output until it has printed {@code count} lines {@code "<prefix> <pid>"}
     * and returns those pids. Blocks while the child prints nothing: give the test a timeout in a
     * separate thread.
     */
    public List<Long> awaitPids(String prefix, int count) {
        List<Long> pids = new ArrayList<>();
        try {
            String line;
            while (pids.size() < count && (line = output.readLine()) != null) {
                seen.add(line);
                if (line.startsWith(prefix + " ")) {
                    pids.add(Long.parseLong(line.substring(prefix.length() + 1).trim()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (pids.size() < count) {
            throw new AssertionError(
                    "The child printed "
                            + pids.size()
                            + " of "
                            + count
                            + " '"
                            + prefix
                            + "' lines before it ended:\n"
                            + String.join("\n", seen));
        }
        return pids;
    }

    /** SIGKILL; returns once the child has exited. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("The child JVM survived SIGKILL for 30 s");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
