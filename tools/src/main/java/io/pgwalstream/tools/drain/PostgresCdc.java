package io.pgwalstream.tools.drain;

import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.tools.drain.RunResult.Contender;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Flink CDC's postgres-cdc source as a contender: {@code tools/postgres-cdc-bench}'s jar
 * (Flink 1.20.3 and flink-sql-connector-postgres-cdc 3.5.0, which do not run on the Flink 2 of this
 * JVM) in a child JVM with the same defaults as this one (heap: a quarter of the memory). It
 * streams the run's slot from its confirmed position (no snapshot) until N row changes were
 * deserialized, prints one result line, and exits.
 *
 * <p>The child reports the wall time from job submission to the N-th row, its CPU over that same
 * span and its peak RSS, so its start-up (JVM, local Flink cluster) is outside the wall and the CPU
 * like the in-JVM contenders' cluster start is; the whole process's CPU, start-up included, is kept
 * as the "threads CPU" column of its run line.
 */
public final class PostgresCdc {

    static final String RESULT_PREFIX = "POSTGRES_CDC_RESULT";

    /** Flink 1.20 on Java 17 needs these for its reflective serializers (as flink-dist sets). */
    private static final List<String> JVM_OPTIONS =
            List.of(
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /** Environment variable with more JVM options for the child, split at white space. */
    static final String EXTRA_JVM_OPTIONS = "POSTGRES_CDC_JAVA_OPTS";

    private static final long TIMEOUT_MINUTES = 30;

    private final Path jar;
    private final Path java;

    public PostgresCdc(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "No postgres-cdc drain jar at "
                            + jar
                            + ": build it with 'mvn -f tools/postgres-cdc-bench/pom.xml package'"
                            + " (tools/bench-drain --postgres-cdc does)");
        }
        this.jar = jar;
        this.java = Path.of(System.getProperty("java.home"), "bin", "java");
    }

    public Path jar() {
        return jar;
    }

    RunResult drain(
            PgConnectionConfig config,
            String slot,
            long rows,
            CpuClock cpu,
            int run,
            boolean warmup)
            throws IOException, InterruptedException {
        ChildRun child = runChild(config, slot, rows, cpu, List.of());
        Map<String, Long> result = child.result();
        return new RunResult(
                Contender.POSTGRES_CDC,
                run,
                warmup,
                result.get("wall_ns"),
                result.get("cpu_ns"),
                child.processCpuNanos(),
                -1,
                -1,
                result.get("rows"),
                result.get("stream_ns"),
                -1,
                result.get("peak_rss_kb"));
    }

    /**
     * One bounded snapshot of the table in the child ({@code --mode snapshot}): {@code
     * StartupOptions.snapshot()} with splits of {@code splitRows} rows at {@code parallelism}; the
     * child fails unless it emitted exactly {@code rows} rows. Debezium creates slot {@code slot}
     * and backfill slots {@code slot_<subtask>}: drop them afterwards.
     */
    public ChildRun snapshot(
            PgConnectionConfig config,
            String slot,
            long rows,
            int parallelism,
            int splitRows,
            CpuClock cpu)
            throws IOException, InterruptedException {
        return runChild(
                config,
                slot,
                rows,
                cpu,
                List.of(
                        "--mode",
                        "snapshot",
                        "--parallelism",
                        Integer.toString(parallelism),
                        "--split-size",
                        Integer.toString(splitRows)));
    }

    /**
     * What one child run reported.
     *
     * @param result the fields of its result line ({@code rows}, {@code wall_ns}, {@code
     *     stream_ns}, {@code cpu_ns}, {@code peak_rss_kb}, and others the mode adds)
     * @param processCpuNanos the whole child process's CPU, start-up included
     */
    public record ChildRun(Map<String, Long> result, long processCpuNanos) {}

    private ChildRun runChild(
            PgConnectionConfig config, String slot, long rows, CpuClock cpu, List<String> more)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(JVM_OPTIONS);
        // E.g. a flight recording to see where postgres-cdc's time goes (tools/README.md).
        String extra = System.getenv(EXTRA_JVM_OPTIONS);
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(
                List.of(
                        "-jar",
                        jar.toString(),
                        "--host",
                        config.host(),
                        "--port",
                        Integer.toString(config.port()),
                        "--database",
                        config.database(),
                        "--user",
                        config.user(),
                        "--slot",
                        slot,
                        "--publication",
                        BenchDatabase.PUBLICATION,
                        "--table",
                        "public." + BenchDatabase.TABLE,
                        "--rows",
                        Long.toString(rows),
                        "--timeout-seconds",
                        Long.toString(TimeUnit.MINUTES.toSeconds(TIMEOUT_MINUTES))));
        command.addAll(more);
        Path stdout = Files.createTempFile("postgres-cdc-", ".out");
        Path stderr = Files.createTempFile("postgres-cdc-", ".err");
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                            .redirectOutput(stdout.toFile())
                            .redirectError(stderr.toFile());
            if (config.password() != null) {
                builder.environment().put("PGPASSWORD", config.password());
            }
            long children0 = cpu.reapedChildrenNanos();
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_MINUTES + 1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "postgres-cdc did not read "
                                + rows
                                + " rows in "
                                + TIMEOUT_MINUTES
                                + " min");
            }
            long children1 = cpu.reapedChildrenNanos();
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            Map<String, Long> result = process.exitValue() == 0 ? parseResult(out) : null;
            if (result == null) {
                throw new IllegalStateException(
                        "postgres-cdc failed (exit "
                                + process.exitValue()
                                + "): "
                                + String.join(" ", command)
                                + "\n"
                                + out
                                + tail(Files.readString(stderr, StandardCharsets.UTF_8), 4000));
            }
            return new ChildRun(result, children1 - children0);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /**
     * The numbers of the child's result line ({@code POSTGRES_CDC_RESULT rows=… wall_ns=…
     * stream_ns=… cpu_ns=… peak_rss_kb=…}), or null if there is none or a field is missing.
     */
    static Map<String, Long> parseResult(String stdout) {
        for (String line : stdout.split("\n")) {
            if (!line.startsWith(RESULT_PREFIX + " ")) {
                continue;
            }
            Map<String, Long> values = new HashMap<>();
            for (String field : line.substring(RESULT_PREFIX.length()).trim().split("\\s+")) {
                int eq = field.indexOf('=');
                if (eq > 0) {
                    values.put(field.substring(0, eq), Long.parseLong(field.substring(eq + 1)));
                }
            }
            for (String key : List.of("rows", "wall_ns", "stream_ns", "cpu_ns", "peak_rss_kb")) {
                if (!values.containsKey(key)) {
                    return null;
                }
            }
            return values;
        }
        return null;
    }

    private static String tail(String text, int chars) {
        return text.length() <= chars ? text : "…" + text.substring(text.length() - chars);
    }
}
