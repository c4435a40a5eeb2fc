package io.pgwalstream.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * One Flink version as a directory of jars, in place of the flink-dist tarball that Maven Central
 * does not serve: {@code lib/} (what the JobManager, TaskManagers and CLI run on) and {@code opt/}
 * (added for the SQL Gateway). The build assembles {@code target/flink-<version>/} for every {@link
 * #SUPPORTED} version, with {@code jdbc/} next to them: Flink's JDBC connector of that version's
 * release line and the PostgreSQL driver, which SQL cases with a JDBC sink add with {@code ADD
 * JAR}.
 */
public record FlinkDistribution(String version, Path home) {

    /** Every version the build assembles; also the default selection. */
    public static final List<String> SUPPORTED = List.of("2.3.0", "1.20.3");

    /**
     * Comma-separated versions to test, e.g. {@code -Dpgwalstream.e2e.flink.versions=1.20.3}; a
     * filter on top of {@link #JVM_VERSION_PROPERTY}.
     */
    public static final String VERSIONS_PROPERTY = "pgwalstream.e2e.flink.versions";

    /**
     * The one version a test JVM tests. The build sets it per surefire execution (one JVM per
     * version); unset, a JVM tests every supported version.
     */
    public static final String JVM_VERSION_PROPERTY = "pgwalstream.e2e.flink.jvm.version";

    /** The directory holding {@code flink-<version>/} (the build sets it to {@code target}). */
    public static final String DIST_DIR_PROPERTY = "pgwalstream.e2e.flink.dist.dir";

    /** The versions this JVM tests: possibly none, when the filter excludes this JVM's version. */
    public static List<FlinkDistribution> selected() {
        String jvmVersion = System.getProperty(JVM_VERSION_PROPERTY, "").trim();
        List<String> candidates = jvmVersion.isEmpty() ? SUPPORTED : List.of(jvmVersion);
        String filter = System.getProperty(VERSIONS_PROPERTY, "").trim();
        List<String> wanted =
                filter.isEmpty()
                        ? candidates
                        : Arrays.stream(filter.split(","))
                                .map(String::trim)
                                .filter(v -> !v.isEmpty())
                                .toList();
        return candidates.stream().filter(wanted::contains).map(FlinkDistribution::of).toList();
    }

    /** The assembled distribution of {@code version}; fails if the build has not assembled it. */
    public static FlinkDistribution of(String version) {
        Path home = E2EPaths.distributionsDirectory().resolve("flink-" + version);
        FlinkDistribution distribution = new FlinkDistribution(version, home);
        Path runtime = distribution.lib().resolve("flink-runtime-" + version + ".jar");
        if (!Files.isRegularFile(runtime)) {
            throw new IllegalStateException(
                    "No Flink "
                            + version
                            + " at "
                            + home
                            + " (missing "
                            + runtime.getFileName()
                            + "). The build assembles "
                            + SUPPORTED
                            + ": run 'mvn verify -pl e2e-tests' (or 'mvn package -pl e2e-tests')"
                            + " first.");
        }
        return distribution;
    }

    public Path lib() {
        return home.resolve("lib");
    }

    public Path opt() {
        return home.resolve("opt");
    }

    public Path jdbc() {
        return home.resolve("jdbc");
    }

    /**
     * The jars of {@code jdbc/}, sorted by name: the JDBC connector (with its PostgreSQL dialect)
     * and an unrelocated {@code org.postgresql} driver.
     *
     * @throws IllegalStateException if the build has not assembled them
     */
    public List<Path> jdbcJars() {
        List<Path> jars = jars(jdbc());
        if (jars.stream().noneMatch(j -> j.getFileName().toString().startsWith("postgresql-"))) {
            throw new IllegalStateException(
                    "No PostgreSQL driver in "
                            + jdbc()
                            + ": run 'mvn verify -pl e2e-tests' (or 'mvn package -pl e2e-tests')"
                            + " first.");
        }
        return jars;
    }

    /** The jars of {@code lib/}, sorted by name. */
    public List<Path> libJars() {
        return jars(lib());
    }

    /** The jars of {@code opt/}, sorted by name. */
    public List<Path> optJars() {
        return jars(opt());
    }

    public int majorVersion() {
        return Integer.parseInt(version.substring(0, version.indexOf('.')));
    }

    public String displayName() {
        return "Flink " + version;
    }

    @Override
    public String toString() {
        return displayName();
    }

    private static List<Path> jars(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
