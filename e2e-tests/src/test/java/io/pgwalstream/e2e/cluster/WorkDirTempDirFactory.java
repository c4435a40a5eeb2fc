package io.pgwalstream.e2e.cluster;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Creates {@code @TempDir}s under the e2e work directory ({@code target/e2e-work}) instead of
 * {@code /tmp}, named after the test class (see {@code junit-platform.properties}).
 */
public final class WorkDirTempDirFactory implements TempDirFactory {

    @Override
    public Path createTempDirectory(
            AnnotatedElementContext elementContext, ExtensionContext extensionContext)
            throws IOException {
        Path parent = E2EPaths.workDirectory();
        Files.createDirectories(parent);
        String prefix =
                extensionContext.getTestClass().map(Class::getSimpleName).orElse("test") + "-";
        return Files.createTempDirectory(parent, prefix);
    }
}
