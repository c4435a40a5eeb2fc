package io.pgwalstream.packaging;

import io.pgwalstream.protocol.Lsn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The unshaded connector module's artifact on this module's test class path (its jar in a reactor
 * build, or its classes directory): what the shaded jar must carry over unchanged.
 */
final class ConnectorArtifact {

    private final Path location;

    private ConnectorArtifact(Path location) {
        this.location = location;
    }

    /** Found through a class of the connector's Flink-free protocol layer. */
    static ConnectorArtifact onTestClassPath() {
        try {
            return new ConnectorArtifact(
                    Path.of(Lsn.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Unexpected code source of " + Lsn.class, e);
        }
    }

    /** The provider classes of a service file of the connector; empty if it has none. */
    List<String> services(String serviceInterface) {
        return text("META-INF/services/" + serviceInterface)
                .map(ServiceFiles::providers)
                .orElse(List.of());
    }

    private Optional<String> text(String entry) {
        try {
            if (Files.isDirectory(location)) {
                Path file = location.resolve(entry);
                return Files.isRegularFile(file)
                        ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
                        : Optional.empty();
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                ZipEntry found = jar.getEntry(entry);
                return found == null
                        ? Optional.empty()
                        : Optional.of(
                                new String(
                                        jar.getInputStream(found).readAllBytes(),
                                        StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + entry + " of " + location, e);
        }
    }

    @Override
    public String toString() {
        return location.toString();
    }
}
