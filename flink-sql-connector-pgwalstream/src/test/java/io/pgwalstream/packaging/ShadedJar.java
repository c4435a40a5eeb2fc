package io.pgwalstream.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * The built SQL jar as the packaging tests see it: its entry names, text entries, service files and
 * manifest. The path comes from the build ({@value #JAR_PROPERTY}); the tests run after {@code
 * package}.
 */
final class ShadedJar {

    static final String JAR_PROPERTY = "pgwalstream.sql.jar";

    private final Path path;
    private final List<String> entries;

    private ShadedJar(Path path, List<String> entries) {
        this.path = path;
        this.entries = entries;
    }

    static ShadedJar built() {
        String configured = System.getProperty(JAR_PROPERTY);
        if (configured == null) {
            throw new IllegalStateException(
                    "-D"
                            + JAR_PROPERTY
                            + " is not set: run the packaging tests through Maven ('mvn verify -pl"
                            + " flink-sql-connector-pgwalstream -am'), which builds the jar first");
        }
        Path jar = Path.of(configured);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "No shaded jar at " + jar + ": run 'mvn package' first");
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> names =
                    file.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).toList();
            return new ShadedJar(jar, names);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + jar, e);
        }
    }

    Path path() {
        return path;
    }

    /** File entries (no directories), in jar order. */
    List<String> entries() {
        return entries;
    }

    boolean contains(String entry) {
        return entries.contains(entry);
    }

    Optional<String> text(String entry) {
        try (JarFile file = new JarFile(path.toFile())) {
            ZipEntry found = file.getEntry(entry);
            if (found == null || found.isDirectory()) {
                return Optional.empty();
            }
            return Optional.of(
                    new String(file.getInputStream(found).readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + entry + " of " + path, e);
        }
    }

    /** The provider classes a service file names; empty if the jar has no such file. */
    List<String> services(String serviceInterface) {
        return text("META-INF/services/" + serviceInterface)
                .map(ServiceFiles::providers)
                .orElse(List.of());
    }

    Manifest manifest() {
        try (JarFile file = new JarFile(path.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                throw new IllegalStateException(path + " has no manifest");
            }
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the manifest of " + path, e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
