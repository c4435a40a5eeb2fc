package io.pgwalstream.e2e.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/flink} against a {@link FlinkCluster}: each call runs {@code
 * org.apache.flink.client.cli.CliFrontend} in a fresh JVM on the distribution's {@code lib/}, with
 * {@code FLINK_CONF_DIR} pointing at the cluster's configuration (which names its REST address).
 */
public final class FlinkCli {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);
    private static final String MAIN = "org.apache.flink.client.cli.CliFrontend";
    private static final Pattern SUBMITTED =
            Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");

    private final FlinkCluster cluster;

    FlinkCli(FlinkCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * {@code flink run -d [-s savepoint] -c entryClass jar arguments...}: submits the job detached
     * and returns its id.
     *
     * @param savepoint a savepoint (or retained checkpoint) to restore; null to start empty
     */
    public String run(Path jar, String entryClass, List<String> arguments, String savepoint)
            throws TimeoutException {
        List<String> command = new ArrayList<>(List.of("run", "-d"));
        if (savepoint != null) {
            command.add("-s");
            command.add(savepoint);
        }
        command.add("-c");
        command.add(entryClass);
        command.add(jar.toString());
        command.addAll(arguments);
        return find(SUBMITTED, call(command), "a job id");
    }

    /** {@code flink stop --savepointPath dir jobId}: stop-with-savepoint; returns its path. */
    public String stopWithSavepoint(String jobId, Path directory) throws TimeoutException {
        return find(
                SAVEPOINT,
                call(List.of("stop", "--savepointPath", directory.toUri().toString(), jobId)),
                "a savepoint path");
    }

    /** Runs one CLI command and returns its output; fails with the output on a non-zero exit. */
    public String call(List<String> arguments) throws TimeoutException {
        ManagedProcess cli =
                cluster.startJvm(
                        cluster.nextProcessName("cli"),
                        List.of("-Xmx256m"),
                        cluster.distribution().libJars(),
                        MAIN,
                        arguments);
        int status = cli.waitFor(CALL_TIMEOUT);
        String output = cli.outputText();
        if (status != 0) {
            throw new IllegalStateException(
                    "flink "
                            + String.join(" ", arguments)
                            + " failed (exit "
                            + status
                            + "):\n"
                            + output);
        }
        return output;
    }

    private static String find(Pattern pattern, String output, String what) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("No " + what + " in the CLI output:\n" + output);
        }
        return matcher.group(1);
    }
}
