package io.pgwalstream.protocol;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/** The protocol layer is JDK only, so every other layer can build on it. */
class ProtocolDependenciesTest {

    @Test
    void protocolDependsOnlyOnTheJdk() {
        JavaClasses protocol =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.pgwalstream.protocol");

        classes()
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("io.pgwalstream.protocol", "java..")
                .check(protocol);
    }
}
