package io.pgwalstream.testing.postgres;

import io.pgwalstream.testing.TestCertificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Turns TLS on for a server of a test's own: its certificate and key in the data directory. */
public final class ServerTls {

    private ServerTls() {}

    /**
     * Serves {@code certificates}' server certificate and refuses connections without TLS ({@code
     * hostssl} in {@code pg_hba.conf}), so a client that connects at all connected over TLS.
     */
    public static void enable(PostgresServer server, TestCertificates certificates) {
        Path data = server.dataDirectory();
        try {
            Path hba = data.resolve("pg_hba.conf");
            Files.writeString(hba, Files.readString(hba).replaceAll("(?m)^host ", "hostssl "));
            Files.copy(
                    certificates.serverCertificate(),
                    data.resolve("server.crt"),
                    StandardCopyOption.REPLACE_EXISTING);
            Path key = data.resolve("server.key");
            Files.copy(certificates.serverKey(), key, StandardCopyOption.REPLACE_EXISTING);
            // PostgreSQL refuses a key others can read.
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.processUser().takeOwnership(data);
        server.execute(
                "ALTER SYSTEM SET ssl_cert_file = 'server.crt'",
                "ALTER SYSTEM SET ssl_key_file = 'server.key'",
                "ALTER SYSTEM SET ssl = on",
                "SELECT pg_reload_conf()");
    }
}
