package io.pgwalstream.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The product obeys the layer rules; each rule is shown to fail on a fixture that breaks it. */
class LayeringTest {

    private static final String FIXTURES = "io.pgwalstream.architecture.fixture";

    @Test
    void productClassesFollowTheLayerRules() {
        JavaClasses product =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.pgwalstream");
        for (ArchRule rule : LayerRules.all("io.pgwalstream")) {
            rule.check(product);
        }
    }

    @Test
    void aFlinkImportInProtocolFails() {
        assertViolation(LayerRules.protocolUsesOnlyTheJdk(FIXTURES), "ProtocolUsingFlink");
    }

    @Test
    void jdbcInProtocolFails() {
        assertViolation(LayerRules.protocolUsesOnlyTheJdk(FIXTURES), "ProtocolUsingJdbc");
    }

    @Test
    void flinkInTypesFails() {
        assertViolation(LayerRules.typesUseOnlyTheJdkAndProtocol(FIXTURES), "TypesUsingFlink");
    }

    @Test
    void theSqlConnectorInRowDataFails() {
        assertViolation(
                LayerRules.rowDataDoesNotUseTheSqlConnector(FIXTURES),
                "RowDataUsingTheSqlConnector");
    }

    @Test
    void flinkInReplicationFails() {
        assertViolation(
                LayerRules.replicationAndChangesAreFlinkFree(FIXTURES), "ReplicationUsingFlink");
    }

    @Test
    void flinkInSnapshotFails() {
        assertViolation(LayerRules.snapshotIsFlinkFree(FIXTURES), "SnapshotUsingFlink");
    }

    @Test
    void pgjdbcInChangesFails() {
        assertViolation(LayerRules.changesDoNotTalkToTheServer(FIXTURES), "ChangesUsingPgjdbc");
    }

    @Test
    void tableApiInSourceFails() {
        assertViolation(LayerRules.sourceDoesNotUseTheTableApi(FIXTURES), "SourceUsingTableApi");
    }

    private static void assertViolation(ArchRule rule, String offender) {
        JavaClasses fixtures = new ClassFileImporter().importPackages(FIXTURES);
        assertThatThrownBy(() -> rule.check(fixtures))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(offender);
    }
}
