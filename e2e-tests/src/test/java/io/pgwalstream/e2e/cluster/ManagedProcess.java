package io.pgwalstream.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A JVM the harness started: its stdout and stderr go to {@code output}, its stdin stays an open
 * pipe that {@code ParentWatchingLauncher} watches. Every instance is registered with {@link
 * ManagedProcesses} until it has exited.
 */
public final class ManagedProcess {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path output;

    private ManagedProcess(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    static ManagedProcess start(
            String name, List<String> command, Map<String, String> environment, Path output) {
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(output.getParent());
            // Registered before it can run, so that a shutdown hook cannot miss it.
            synchronized (ManagedProcesses.class) {
                ManagedProcess started = new ManagedProcess(name, builder.start(), output);
                ManagedProcesses.register(started);
                return started;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + command, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Where the process's stdout and stderr go. */
    public Path output() {
        return output;
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook, no clean-up. Returns once it has exited. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(EXIT_TIMEOUT);
    }

    /** SIGTERM, without waiting: several processes can then shut down in parallel. */
    public void terminate() {
        process.destroy();
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. Returns once it exited. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            ManagedProcesses.unregister(this);
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        awaitExit(EXIT_TIMEOUT);
    }

    /** Waits for the process to end by itself and returns its exit status. */
    public int waitFor(Duration timeout) throws TimeoutException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TimeoutException(
                        name + " did not exit within " + timeout.toSeconds() + " s; see " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + name, e);
        }
        ManagedProcesses.unregister(this);
        return process.exitValue();
    }

    /** The output written so far; empty if there is none. */
    public String outputText() {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e.getMessage() + ")";
        }
    }

    private void awaitExit(Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping " + this, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(this + " is still alive after SIGKILL", e);
        }
        ManagedProcesses.unregister(this);
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
