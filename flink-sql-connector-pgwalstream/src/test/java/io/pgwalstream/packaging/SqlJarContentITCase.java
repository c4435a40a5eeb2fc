package io.pgwalstream.packaging;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the shaded SQL jar contains: the connector, pgjdbc and flink-connector-base; nothing that
 * the Flink distribution provides (its APIs, a logging backend); the connector's service entries; a
 * NOTICE and the licence files of what it bundles.
 */
class SqlJarContentITCase {

    static final String FACTORY_SERVICE = "org.apache.flink.table.factories.Factory";

    /** Where classes may live in the jar; anything else is a dependency that slipped in. */
    private static final List<String> ALLOWED_CLASS_PREFIXES =
            List.of("io/pgwalstream/", "org/postgresql/", "org/apache/flink/connector/base/");

    private static ShadedJar jar;

    @BeforeAll
    static void readJar() {
        jar = ShadedJar.built();
    }

    @Test
    void bundlesTheConnectorPgjdbcAndFlinkConnectorBase() {
        assertThat(jar.entries())
                .contains(
                        "io/pgwalstream/protocol/PgOutputDecoder.class",
                        "io/pgwalstream/replication/ReplicationSession.class",
                        "io/pgwalstream/flink/source/PgWalStreamSource.class",
                        "org/postgresql/Driver.class",
                        "org/postgresql/core/v3/replication/V3ReplicationProtocol.class",
                        // SCRAM, which pgjdbc bundles relocated under its own package
                        "org/postgresql/shaded/com/ongres/scram/client/ScramClient.class",
                        "org/apache/flink/connector/base/source/reader/"
                                + "SingleThreadMultiplexSourceReaderBase.class");
    }

    @Test
    void holdsNoClassesOutsideTheBundledArtifacts() {
        // Flink's APIs and runtime, a logging backend (slf4j bindings, log4j, logback) or the test
        // harness would each break or shadow what the cluster provides.
        Map<String, List<String>> strays =
                jar.entries().stream()
                        .filter(entry -> entry.endsWith(".class"))
                        .map(SqlJarContentITCase::withoutVersionPrefix)
                        .filter(
                                entry ->
                                        ALLOWED_CLASS_PREFIXES.stream()
                                                .noneMatch(entry::startsWith))
                        .collect(
                                Collectors.groupingBy(
                                        SqlJarContentITCase::packageOf,
                                        TreeMap::new,
                                        Collectors.toList()));
        assertThat(strays).as("classes outside %s", ALLOWED_CLASS_PREFIXES).isEmpty();
        assertThat(jar.entries())
                .as("the connector's test harness")
                .noneMatch(entry -> entry.startsWith("io/pgwalstream/testing/"));
        assertThat(jar.entries())
                .as("Flink classes other than flink-connector-base")
                .filteredOn(entry -> entry.startsWith("org/apache/flink/"))
                .allMatch(entry -> entry.startsWith("org/apache/flink/connector/base/"));
    }

    @Test
    void registersExactlyTheConnectorsTableFactories() {
        // The expectation comes from the connector's own jar: today's factory list, whatever it is,
        // must reach the shaded jar unchanged, and every class it names must be inside.
        List<String> expected = ConnectorArtifact.onTestClassPath().services(FACTORY_SERVICE);
        List<String> shaded = jar.services(FACTORY_SERVICE);

        assertThat(shaded).as("%s in %s", FACTORY_SERVICE, jar).isEqualTo(expected);
        for (String factory : shaded) {
            assertThat(jar.entries())
                    .as("class file of the registered factory %s", factory)
                    .contains(ServiceFiles.classFile(factory));
        }
    }

    @Test
    void declaresItselfMultiReleaseBecausePgjdbcIs() {
        assertThat(jar.entries()).anyMatch(entry -> entry.startsWith("META-INF/versions/11/"));
        Attributes main = jar.manifest().getMainAttributes();
        assertThat(main.getValue("Multi-Release")).isEqualTo("true");
        assertThat(main.getValue("Bundled-pgjdbc-Version"))
                .isEqualTo(System.getProperty("pgwalstream.pgjdbc.version"));
    }

    @Test
    void noticeNamesEveryBundledArtifactAndTheirLicencesAreInside() {
        String pgjdbc =
                "org.postgresql:postgresql:" + System.getProperty("pgwalstream.pgjdbc.version");
        String base =
                "org.apache.flink:flink-connector-base:"
                        + System.getProperty("pgwalstream.flink.version");

        assertThat(jar.text("META-INF/NOTICE"))
                .hasValueSatisfying(
                        notice ->
                                assertThat(notice)
                                        .startsWith("pg-walstream")
                                        .contains(pgjdbc, base)
                                        .doesNotContain("${"));
        assertThat(jar.text(licenceFile(pgjdbc, "LICENSE")))
                .hasValueSatisfying(
                        licence ->
                                assertThat(licence)
                                        .contains("PostgreSQL Global Development Group")
                                        .contains("Redistribution and use in source and binary"));
        assertThat(jar.text(licenceFile(base, "LICENSE")))
                .hasValueSatisfying(licence -> assertThat(licence).contains("Apache License"));
        assertThat(jar.text(licenceFile(base, "NOTICE")))
                .hasValueSatisfying(notice -> assertThat(notice).contains("Apache Flink"));
        // What pgjdbc itself bundles keeps its licence files where pgjdbc put them.
        assertThat(jar.entries())
                .contains("META-INF/licenses/com.ongres.scram/scram-client-3.2/META-INF/LICENSE");
        // A dependency's LICENSE at the top level would read as the licence of the whole jar.
        assertThat(jar.contains("META-INF/LICENSE"))
                .as("a top-level META-INF/LICENSE (the project declares no licence of its own)")
                .isFalse();
    }

    /** {@code META-INF/licenses/<group>/<artifact>-<version>/META-INF/<name>}. */
    private static String licenceFile(String coordinates, String name) {
        String[] gav = coordinates.split(":");
        return "META-INF/licenses/" + gav[0] + "/" + gav[1] + "-" + gav[2] + "/META-INF/" + name;
    }

    private static String withoutVersionPrefix(String entry) {
        return entry.replaceFirst("^META-INF/versions/\\d+/", "");
    }

    private static String packageOf(String classFile) {
        int slash = classFile.lastIndexOf('/');
        return slash < 0 ? "(default package)" : classFile.substring(0, slash);
    }
}
