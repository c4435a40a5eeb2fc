package io.pgwalstream.replication;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where and as whom to connect. The password is kept out of {@link #toString()}, so the config can
 * be logged and appear in exceptions without leaking it.
 *
 * @param driverProperties extra pgjdbc connection properties ({@code sslmode}, {@code sslrootcert},
 *     ...); they cannot override the properties a replication connection needs
 */
public record PgConnectionConfig(
        String host,
        int port,
        String database,
        String user,
        String password,
        Map<String, String> driverProperties)
        implements Serializable {

    public static final int DEFAULT_PORT = 5432;

    public PgConnectionConfig {
        requireText(host, "host");
        requireText(database, "database");
        requireText(user, "user");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Port " + port + " is not between 1 and 65535");
        }
        driverProperties = Map.copyOf(driverProperties == null ? Map.of() : driverProperties);
    }

    public static PgConnectionConfig of(String host, int port, String database, String user) {
        return new PgConnectionConfig(host, port, database, user, null, Map.of());
    }

    public PgConnectionConfig withPassword(String value) {
        return new PgConnectionConfig(host, port, database, user, value, driverProperties);
    }

    public PgConnectionConfig withDriverProperties(Map<String, String> value) {
        return new PgConnectionConfig(host, port, database, user, password, value);
    }

    /** The JDBC URL, without credentials. */
    public String jdbcUrl() {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + database;
    }

    /** {@code user@host:port/database}, for log lines and error messages. */
    public String describe() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "PgConnectionConfig{"
                + describe()
                + (password == null ? "" : ", password=****")
                + ", driverProperties="
                + new TreeMap<>(driverProperties).keySet()
                + "}";
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The PostgreSQL " + what + " is missing");
        }
    }
}
