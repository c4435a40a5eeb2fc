package io.pgwalstream.e2e.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the build put what the e2e tests need. Maven sets every property (see {@code
 * e2e-tests/pom.xml}); the defaults let an IDE run the tests from the module directory after {@code
 * mvn package -pl e2e-tests}.
 */
public final class E2EPaths {

    public static final String JOBS_JAR_PROPERTY = "pgwalstream.e2e.jobs.jar";
    public static final String LAUNCHER_JAR_PROPERTY = "pgwalstream.e2e.launcher.jar";
    public static final String CHANGELOG_JOB_JAR_PROPERTY = "pgwalstream.e2e.changelog.job.jar";
    public static final String SQL_CONNECTOR_JAR_PROPERTY = "pgwalstream.e2e.sql.connector.jar";
    public static final String WORK_DIR_PROPERTY = "pgwalstream.e2e.work.dir";

    private E2EPaths() {}

    /** The jar of test jobs ({@code io.pgwalstream.e2e.jobs}), built by this module. */
    public static Path jobsJar() {
        return builtJar(JOBS_JAR_PROPERTY, "-jobs.jar");
    }

    /**
     * The changelog job ({@code io.pgwalstream.e2e.jobs.changelog}) with the shaded SQL connector
     * jar inside, built by this module.
     */
    public static Path changelogJobJar() {
        return builtJar(CHANGELOG_JOB_JAR_PROPERTY, "-changelog-job.jar");
    }

    /**
     * The shaded SQL connector jar ({@code flink-sql-connector-pgwalstream}) as the reactor built
     * it: what a user puts in {@code lib/} or adds with {@code ADD JAR}.
     */
    public static Path sqlConnectorJar() {
        String configured = System.getProperty(SQL_CONNECTOR_JAR_PROPERTY);
        Path jar =
                configured != null
                        ? Path.of(configured)
                        : Path.of(
                                "..",
                                "flink-sql-connector-pgwalstream",
                                "target",
                                "flink-sql-connector-pgwalstream-0.1.0-SNAPSHOT.jar");
        return existing(jar, "mvn package -pl flink-sql-connector-pgwalstream -am");
    }

    /** The jar of {@code ParentWatchingLauncher}, put first on every cluster JVM's classpath. */
    public static Path launcherJar() {
        return builtJar(LAUNCHER_JAR_PROPERTY, "-launcher.jar");
    }

    /** Parent of the clusters' directories (configuration, logs, checkpoints). */
    public static Path workDirectory() {
        return Path.of(System.getProperty(WORK_DIR_PROPERTY, "target/e2e-work")).toAbsolutePath();
    }

    static Path distributionsDirectory() {
        return Path.of(System.getProperty(FlinkDistribution.DIST_DIR_PROPERTY, "target"))
                .toAbsolutePath();
    }

    private static Path builtJar(String property, String suffix) {
        String configured = System.getProperty(property);
        Path jar =
                configured != null
                        ? Path.of(configured)
                        : Path.of("target", "e2e-tests-0.1.0-SNAPSHOT" + suffix);
        return existing(jar, "mvn package -pl e2e-tests");
    }

    private static Path existing(Path jar, String build) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "Missing " + jar.toAbsolutePath() + ": run '" + build + "' first.");
        }
        return jar.toAbsolutePath().normalize();
    }
}
