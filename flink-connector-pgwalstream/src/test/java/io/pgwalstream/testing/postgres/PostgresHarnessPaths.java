package io.pgwalstream.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Where the harness keeps extracted binaries and server data directories. */
final class PostgresHarnessPaths {

    private PostgresHarnessPaths() {}

    /**
     * A world-traversable directory under {@code java.io.tmpdir}: the unprivileged server user must
     * reach both the binaries and its own data directory through it. One per build user, so that a
     * root build and a user build on the same machine do not share (and lock each other out of) one
     * directory.
     */
    static Path root() {
        Path root =
                Path.of(
                        System.getProperty(
                                "pgwalstream.postgres.work.dir",
                                System.getProperty("java.io.tmpdir")
                                        + "/pgwalstream-postgres-"
                                        + System.getProperty("user.name")));
        try {
            if (!Files.isDirectory(root)) {
                Files.createDirectories(root);
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot create the PostgreSQL harness directory " + root, e);
        }
    }

    static Path servers() {
        return root().resolve("servers");
    }
}
