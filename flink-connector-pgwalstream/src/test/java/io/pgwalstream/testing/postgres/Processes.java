package io.pgwalstream.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs short external commands, failing with their output when they fail. */
final class Processes {

    private static final long TIMEOUT_SECONDS = 120;

    private Processes() {}

    static String run(List<String> command, Path workingDirectory) {
        return run(command, workingDirectory, Map.of());
    }

    static String run(List<String> command, Path workingDirectory, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            // pg_ctl start leaves the postmaster holding no pipe of ours (its output goes to the
            // log
            // file), so reading to EOF terminates.
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        "Command failed (exit "
                                + process.exitValue()
                                + "): "
                                + String.join(" ", command)
                                + "\n"
                                + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command, e);
        }
    }

    static boolean tryRun(List<String> command) {
        try {
            run(command, null);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
