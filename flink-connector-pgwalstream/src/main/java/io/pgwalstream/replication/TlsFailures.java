package io.pgwalstream.replication;

import javax.net.ssl.SSLHandshakeException;

import java.sql.SQLException;

/**
 * Adds the fix to pgjdbc's TLS errors, which say what failed but not what to change: an untrusted
 * certificate, a certificate for another host name, a server without TLS.
 */
final class TlsFailures {

    private TlsFailures() {}

    /** {@code failure} with the fix appended if it is a TLS failure, else {@code failure}. */
    static SQLException explain(SQLException failure, PgConnectionConfig config) {
        String hint = hint(failure, config);
        if (hint == null) {
            return failure;
        }
        return new SQLException(
                failure.getMessage() + " (TLS to " + config.describe() + ": " + hint + ")",
                failure.getSQLState(),
                failure);
    }

    private static String hint(SQLException failure, PgConnectionConfig config) {
        String message = String.valueOf(failure.getMessage());
        String sslmode = config.driverProperties().getOrDefault("sslmode", "prefer");
        if (message.contains("does not support SSL")) {
            return "the server does not offer TLS (ssl = off) but sslmode = "
                    + sslmode
                    + " requires it; turn TLS on at the server, or lower sslmode if plaintext is"
                    + " acceptable";
        }
        if (message.contains("hostnameverifier")) {
            return "the server's certificate does not name the host connected to; connect by a"
                    + " name its subjectAltName lists, or use sslmode = verify-ca to check the"
                    + " signature only";
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String text = String.valueOf(t.getMessage());
            if (t instanceof SSLHandshakeException
                    && (text.contains("PKIX") || text.contains("certificat"))) {
                return "the server's certificate is not signed by a certificate authority the"
                        + " client trusts; point properties sslrootcert at the CA certificate"
                        + " (PEM) that signed it";
            }
        }
        return null;
    }
}
