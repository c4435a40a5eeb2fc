package io.pgwalstream.architecture;

import com.tngtech.archunit.lang.ArchRule;

import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layer rules of DESIGN §1 for a root package, so they can be checked against the product
 * ({@code io.pgwalstream}) and, to prove they bite, against deliberately broken fixtures.
 *
 * <pre>
 * protocol, types (JDK only) ← replication (+ pgjdbc) and changes ← snapshot (no Flink)
 *     ← flink.source (FLIP-27)
 *     ← flink.rowdata (RowData conversion) ← flink.table (SQL factory and planning)
 * </pre>
 */
final class LayerRules {

    private LayerRules() {}

    static List<ArchRule> all(String root) {
        return List.of(
                protocolUsesOnlyTheJdk(root),
                typesUseOnlyTheJdkAndProtocol(root),
                replicationAndChangesAreFlinkFree(root),
                snapshotIsFlinkFree(root),
                changesDoNotTalkToTheServer(root),
                replicationDoesNotAssembleChanges(root),
                sourceDoesNotUseTheTableApi(root),
                rowDataDoesNotUseTheSqlConnector(root),
                lowerLayersDoNotReachUp(root),
                noGrabBagPackages(root));
    }

    /** The JDK without java.sql: what the driver-free layers may use. */
    private static final List<String> JDK =
            List.of(
                    "java.lang..",
                    "java.util..",
                    "java.nio..",
                    "java.time..",
                    "java.io..",
                    "java.math..",
                    "java.lang.invoke..");

    /** Decoding must stay reusable outside Flink and free of any driver: JDK only. */
    static ArchRule protocolUsesOnlyTheJdk(String root) {
        return onlyTheJdkAnd(root + ".protocol..", List.of(root + ".protocol.."))
                .as("protocol depends on the JDK (not java.sql) and itself only");
    }

    /**
     * Value forms and the type catalog serve the stream and the snapshot alike: no Flink, no JDBC.
     */
    static ArchRule typesUseOnlyTheJdkAndProtocol(String root) {
        return onlyTheJdkAnd(
                        root + ".types..",
                        List.of(
                                root + ".types..",
                                root + ".protocol..",
                                "javax.annotation..")) // JSR-305 @Nullable: documentation only
                .as("types depends on the JDK (not java.sql), protocol and itself only");
    }

    private static ArchRule onlyTheJdkAnd(String layer, List<String> allowed) {
        List<String> packages = new ArrayList<>(allowed);
        packages.addAll(JDK);
        return classes()
                .that()
                .resideInAPackage(layer)
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(packages.toArray(String[]::new))
                .allowEmptyShould(true);
    }

    static ArchRule replicationAndChangesAreFlinkFree(String root) {
        return noClasses()
                .that()
                .resideInAnyPackage(root + ".replication..", root + ".changes..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..", root + ".flink..")
                .as("replication and changes do not use Flink")
                .allowEmptyShould(true);
    }

    /** The snapshot reader is the stream's counterpart below Flink: usable without it. */
    static ArchRule snapshotIsFlinkFree(String root) {
        return noClasses()
                .that()
                .resideInAPackage(root + ".snapshot..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..", root + ".flink..")
                .as("snapshot does not use Flink")
                .allowEmptyShould(true);
    }

    static ArchRule changesDoNotTalkToTheServer(String root) {
        return noClasses()
                .that()
                .resideInAPackage(root + ".changes..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.postgresql..", "java.sql..", root + ".replication..")
                .as("changes assembles decoded messages and never talks to the server")
                .allowEmptyShould(true);
    }

    static ArchRule replicationDoesNotAssembleChanges(String root) {
        return noClasses()
                .that()
                .resideInAPackage(root + ".replication..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(root + ".changes..")
                .as("replication moves bytes and positions, it does not assemble changes")
                .allowEmptyShould(true);
    }

    static ArchRule sourceDoesNotUseTheTableApi(String root) {
        return noClasses()
                .that()
                .resideInAPackage(root + ".flink.source..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink.table..", root + ".flink.table..")
                .as("flink.source is DataStream only; SQL lives in flink.table")
                .allowEmptyShould(true);
    }

    /**
     * RowData conversion serves DataStream and SQL users; the SQL factory builds on it, not back.
     */
    static ArchRule rowDataDoesNotUseTheSqlConnector(String root) {
        return noClasses()
                .that()
                .resideInAPackage(root + ".flink.rowdata..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(root + ".flink.table..")
                .as("flink.rowdata does not depend on the SQL connector (flink.table)")
                .allowEmptyShould(true);
    }

    static ArchRule lowerLayersDoNotReachUp(String root) {
        return noClasses()
                .that()
                .resideInAnyPackage(
                        root + ".protocol..",
                        root + ".types..",
                        root + ".replication..",
                        root + ".changes..",
                        root + ".snapshot..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(root + ".flink..")
                .as(
                        "protocol, types, replication, changes and snapshot never depend on the"
                                + " Flink layers")
                .allowEmptyShould(true);
    }

    static ArchRule noGrabBagPackages(String root) {
        return noClasses()
                .should()
                .resideInAnyPackage(root + "..util..", root + "..utils..", root + "..common..")
                .as("no utils/common grab-bag packages: code lives with its layer")
                .allowEmptyShould(true);
    }
}
