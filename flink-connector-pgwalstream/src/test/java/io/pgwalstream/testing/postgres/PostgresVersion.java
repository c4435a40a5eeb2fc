package io.pgwalstream.testing.postgres;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The PostgreSQL major versions the project is tested against. */
public enum PostgresVersion {
    V14(14),
    V15(15),
    V16(16),
    V17(17),
    V18(18);

    /**
     * Restricts {@link EveryPostgresVersion} tests, e.g. {@code
     * -Dpgwalstream.postgres.versions=14,17}.
     */
    public static final String VERSIONS_PROPERTY = "pgwalstream.postgres.versions";

    public static final PostgresVersion DEFAULT = V17;

    private final int major;

    PostgresVersion(int major) {
        this.major = major;
    }

    public int major() {
        return major;
    }

    /** The highest pgoutput {@code proto_version} this server accepts. */
    public int maxProtoVersion() {
        switch (this) {
            case V14:
                return 2;
            case V15:
                return 3;
            default:
                return 4;
        }
    }

    public String displayName() {
        return "PostgreSQL " + major;
    }

    public static PostgresVersion ofMajor(int major) {
        return Arrays.stream(values())
                .filter(v -> v.major == major)
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "PostgreSQL "
                                                + major
                                                + " is not in the test matrix "
                                                + Arrays.toString(values())));
    }

    /** The versions selected for this run: all of them unless {@link #VERSIONS_PROPERTY} is set. */
    public static List<PostgresVersion> selected() {
        String property = System.getProperty(VERSIONS_PROPERTY, "").trim();
        if (property.isEmpty()) {
            return List.of(values());
        }
        return Arrays.stream(property.split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .map(PostgresVersion::ofMajor)
                .collect(Collectors.toList());
    }
}
