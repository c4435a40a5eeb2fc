package io.pgwalstream.tools.drain;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.tools.drain.RunResult.Contender;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs PostgreSQL's own logical replication client, pg_recvlogical, as the reference drain. */
final class PgRecvLogical {

    static final String INSTALL_HINT =
            "pg_recvlogical was not found (looked in /usr/lib/postgresql/*/bin and on PATH).\n"
                    + "It comes with PostgreSQL's client programs. Install them with:\n"
                    + "    apt-get update && apt-get install -y postgresql-client\n"
                    + "(Debian/Ubuntu; as root), or pass --pg-recvlogical /path/to/pg_recvlogical.";

    private static final Path DEBIAN_VERSIONS = Path.of("/usr/lib/postgresql");
    private static final long TIMEOUT_MINUTES = 30;

    private final Path binary;

    PgRecvLogical(Path binary) {
        this.binary = binary;
    }

    /**
     * The binary to run: the explicit one, else the newest Debian versioned binary (called
     * directly, not through Debian's Perl wrapper in /usr/bin, whose start-up would be timed too),
     * else the first on PATH.
     *
     * @throws IllegalStateException with installation instructions when there is none
     */
    static PgRecvLogical locate(Path explicit) {
        if (explicit != null) {
            if (!Files.isExecutable(explicit)) {
                throw new IllegalStateException(explicit + " is not an executable file");
            }
            return new PgRecvLogical(explicit);
        }
        if (Files.isDirectory(DEBIAN_VERSIONS)) {
            try (Stream<Path> versions = Files.list(DEBIAN_VERSIONS)) {
                Path newest =
                        versions.map(v -> v.resolve("bin/pg_recvlogical"))
                                .filter(Files::isExecutable)
                                .max(Comparator.comparing(PgRecvLogical::debianMajor))
                                .orElse(null);
                if (newest != null) {
                    return new PgRecvLogical(newest);
                }
            } catch (IOException e) {
                // fall through to PATH
            }
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, "pg_recvlogical");
                if (Files.isExecutable(candidate)) {
                    return new PgRecvLogical(candidate);
                }
            }
        }
        throw new IllegalStateException(INSTALL_HINT);
    }

    private static int debianMajor(Path binary) {
        try {
            return Integer.parseInt(binary.getParent().getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    Path binary() {
        return binary;
    }

    /** What {@code pg_recvlogical --version} prints. */
    String version() throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(binary.toString(), "--version")
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out;
    }

    /**
     * Drains {@code slot} up to {@code end} into {@code output} ({@code /dev/null} when timing).
     * The CPU time is the child's user + system time, read from this JVM's reaped-children counters
     * around the run.
     */
    RunResult drain(
            PgConnectionConfig config,
            String slot,
            int protoVersion,
            boolean binaryFormat,
            Lsn end,
            Path output,
            CpuClock cpu,
            int run,
            boolean warmup)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(
                List.of(
                        "--dbname",
                        conninfo(config),
                        "--slot",
                        slot,
                        "--start",
                        "--no-loop",
                        "--endpos",
                        end.toString(),
                        "--file",
                        output.toString(),
                        "--option",
                        "proto_version=" + protoVersion,
                        "--option",
                        "publication_names=" + BenchDatabase.PUBLICATION));
        if (binaryFormat) {
            command.addAll(List.of("--option", "binary=true"));
        }
        Path stderr = Files.createTempFile("pg_recvlogical-", ".err");
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(stderr.toFile());
            if (config.password() != null) {
                builder.environment().put("PGPASSWORD", config.password());
            }
            long children0 = cpu.reapedChildrenNanos();
            long t0 = System.nanoTime();
            Process process = builder.start();
            long peakKb;
            try (PeakRss.ChildWatch rss = new PeakRss.ChildWatch(process)) {
                if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(
                            "pg_recvlogical did not reach "
                                    + end
                                    + " in "
                                    + TIMEOUT_MINUTES
                                    + " min");
                }
                peakKb = rss.peakKb();
            }
            long t1 = System.nanoTime();
            long children1 = cpu.reapedChildrenNanos();
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        "pg_recvlogical failed (exit "
                                + process.exitValue()
                                + "): "
                                + String.join(" ", command)
                                + "\n"
                                + Files.readString(stderr));
            }
            return new RunResult(
                    Contender.PG_RECVLOGICAL,
                    run,
                    warmup,
                    t1 - t0,
                    children1 - children0,
                    -1,
                    -1,
                    -1,
                    -1,
                    -1,
                    -1,
                    peakKb);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    /**
     * A libpq connection string; values quoted as libpq wants ({@code '} and {@code \} escaped).
     */
    static String conninfo(PgConnectionConfig config) {
        return "host="
                + quote(config.host())
                + " port="
                + config.port()
                + " dbname="
                + quote(config.database())
                + " user="
                + quote(config.user())
                + " application_name=pg_recvlogical";
    }

    private static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
