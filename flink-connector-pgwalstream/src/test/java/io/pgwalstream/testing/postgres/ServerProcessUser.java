package io.pgwalstream.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs PostgreSQL's programs as a user PostgreSQL accepts.
 *
 * <p>initdb and postgres refuse to run as root. When the build runs as root (CI containers do), the
 * programs run as an unprivileged system user, created on first use, through {@code runuser}; that
 * user owns the data directories. Otherwise they run as the current user.
 */
final class ServerProcessUser {

    static final String USER_PROPERTY = "pgwalstream.postgres.os.user";
    private static final String DEFAULT_USER = "pgwalstream";

    private final String name; // null: the current user

    private ServerProcessUser(String name) {
        this.name = name;
    }

    static ServerProcessUser detect() {
        if (!isRoot()) {
            return new ServerProcessUser(null);
        }
        String user = System.getProperty(USER_PROPERTY, DEFAULT_USER);
        ensureExists(user);
        return new ServerProcessUser(user);
    }

    /** The command line that runs {@code command} as this user. */
    List<String> wrap(List<String> command) {
        if (name == null) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", name, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Hands a directory the harness created to this user (no-op when not root). */
    void takeOwnership(Path directory) {
        if (name == null) {
            return;
        }
        Processes.run(List.of("chown", "-R", name + ":", directory.toString()), null);
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    private static void ensureExists(String user) {
        if (Processes.tryRun(List.of("id", "-u", user))) {
            return;
        }
        Processes.run(
                List.of(
                        "useradd",
                        "--system",
                        "--user-group",
                        "--no-create-home",
                        "--shell",
                        "/usr/sbin/nologin",
                        user),
                null);
    }

    @Override
    public String toString() {
        return name == null ? "the current user" : "system user '" + name + "'";
    }
}
