package io.pgwalstream.replication;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where and as whom to connect. The password is kept out of {@link #toString()}, so the config can
 * be logged and appear in exceptions without leaking it.
 *
 * <p>Host, port and database reach pgjdbc as connection properties, never as text in a JDBC URL
 * (see {@link PgConnections}): a database named {@code shop?sslmode=disable} is a database of that
 * name, not a driver setting. What the properties cannot carry is refused here: an empty or
 * NUL-containing database, a host that is neither a DNS name nor an IP address.
 *
 * @param host a DNS name, an IPv4 address or an IPv6 address (bare or in brackets); several,
 *     separated by commas, are tried in order (for failover, with the driver property {@code
 *     targetServerType=primary}). Each may carry its own port ({@code name:port}, {@code
 *     [v6]:port}); the others use {@code port}
 * @param driverProperties extra pgjdbc connection properties ({@code sslmode}, {@code sslrootcert},
 *     ...); they cannot override the properties a replication connection needs, nor name the server
 *     ({@code PGHOST}, {@code PGPORT}, {@code PGDBNAME} come from host, port and database)
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

    /** Driver properties that name the server; the connector sets them from the config. */
    public static final List<String> SERVER_PROPERTIES = List.of("PGHOST", "PGPORT", "PGDBNAME");

    public PgConnectionConfig {
        checkHost(host);
        checkDatabase(database);
        checkUser(user);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Port " + port + " is not between 1 and 65535");
        }
        driverProperties = Map.copyOf(driverProperties == null ? Map.of() : driverProperties);
        checkDriverProperties(driverProperties);
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

    /**
     * The hosts in pgjdbc's {@code PGHOST} form: comma-separated, an IPv6 address in brackets (as
     * pgjdbc itself reads it from a URL).
     */
    public String pgHost() {
        StringBuilder hosts = new StringBuilder();
        for (String entry : host.split(",", -1)) {
            if (hosts.length() > 0) {
                hosts.append(',');
            }
            String name = hostOf(entry);
            hosts.append(name.indexOf(':') >= 0 && !name.startsWith("[") ? "[" + name + "]" : name);
        }
        return hosts.toString();
    }

    /**
     * The ports in pgjdbc's {@code PGPORT} form: one per host, {@code port} where none is given.
     */
    public String pgPort() {
        StringBuilder ports = new StringBuilder();
        for (String entry : host.split(",", -1)) {
            if (ports.length() > 0) {
                ports.append(',');
            }
            String own = portOf(entry);
            ports.append(own == null ? Integer.toString(port) : own);
        }
        return ports.toString();
    }

    /**
     * The port part of a host entry: after the closing bracket of an IPv6 address, or after the
     * only ':' of a name or IPv4 address (a bare IPv6 address has several and no port); null if
     * none.
     */
    private static String portOf(String entry) {
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            return close > 0 && close + 1 < entry.length() && entry.charAt(close + 1) == ':'
                    ? entry.substring(close + 2)
                    : null;
        }
        int colon = entry.indexOf(':');
        return colon >= 0 && colon == entry.lastIndexOf(':') ? entry.substring(colon + 1) : null;
    }

    private static String hostOf(String entry) {
        String own = portOf(entry);
        return own == null ? entry : entry.substring(0, entry.length() - own.length() - 1);
    }

    /** {@code user@host:port/database}, for log lines and error messages. */
    public String describe() {
        String[] hosts = pgHost().split(",", -1);
        String[] ports = pgPort().split(",", -1);
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < hosts.length; i++) {
            where.append(i == 0 ? "" : ",").append(hosts[i]).append(':').append(ports[i]);
        }
        return user + "@" + where + "/" + database;
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

    /**
     * Checks a host option: one or more comma-separated DNS names, IPv4 or IPv6 addresses.
     *
     * @throws IllegalArgumentException saying what is wrong and what to write instead
     */
    public static void checkHost(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("The PostgreSQL host is missing");
        }
        for (String entry : host.split(",", -1)) {
            String problem = portProblem(portOf(entry));
            if (problem == null) {
                problem = hostProblem(hostOf(entry));
            }
            if (problem != null) {
                throw new IllegalArgumentException(
                        "The PostgreSQL host "
                                + quoted(host)
                                + " "
                                + problem
                                + ": give a DNS name, an IPv4 address or an IPv6 address (several"
                                + " separated by commas, no spaces), each optionally with its"
                                + " port (name:5432, [::1]:5432); the database has its own"
                                + " setting");
            }
        }
    }

    /**
     * Checks a database name. Any name PostgreSQL accepts can be used, except one with a NUL
     * character, which the connection startup message cannot carry.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void checkDatabase(String database) {
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("The PostgreSQL database is missing");
        }
        if (database.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    "The PostgreSQL database "
                            + quoted(database)
                            + " contains a NUL character, which no PostgreSQL name can hold;"
                            + " give the database's name without it");
        }
    }

    /**
     * Checks a user (role) name, under the same rule as {@link #checkDatabase}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void checkUser(String user) {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("The PostgreSQL user is missing");
        }
        if (user.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    "The PostgreSQL user "
                            + quoted(user)
                            + " contains a NUL character, which no PostgreSQL name can hold;"
                            + " give the role's name without it");
        }
    }

    /**
     * Checks that no driver property names the server: those come from host, port and database, and
     * a second, different value could only be a mistake.
     *
     * @throws IllegalArgumentException naming the property and the setting to use instead
     */
    public static void checkDriverProperties(Map<String, String> driverProperties) {
        for (String name : SERVER_PROPERTIES) {
            if (driverProperties.containsKey(name)) {
                throw new IllegalArgumentException(
                        "The driver property '"
                                + name
                                + "' cannot be set: the connector sets "
                                + String.join(", ", SERVER_PROPERTIES)
                                + " from the host, port and database settings; remove it and"
                                + " use those");
            }
        }
    }

    /** Why one comma-separated entry of a host option cannot be a host, or null if it can. */
    private static String portProblem(String port) {
        if (port == null) {
            return null;
        }
        if (!port.matches("[0-9]{1,5}")
                || Integer.parseInt(port) < 1
                || Integer.parseInt(port) > 65535) {
            return "has the port " + quoted(port) + ", which is not a number from 1 to 65535";
        }
        return null;
    }

    private static String hostProblem(String entry) {
        if (entry.isEmpty()) {
            return "has an empty entry";
        }
        boolean bracketed = entry.startsWith("[") && entry.endsWith("]") && entry.length() > 2;
        String address = bracketed ? entry.substring(1, entry.length() - 1) : entry;
        boolean ipv6 = address.indexOf(':') >= 0;
        if (ipv6 && !bracketed && address.indexOf(':') == address.lastIndexOf(':')) {
            // what is left of host:port after the port: only an IPv6 address has colons
            return "contains ':'";
        }
        if (bracketed && !ipv6) {
            return "has brackets around " + quoted(address) + ", which is not an IPv6 address";
        }
        int zone = ipv6 ? address.indexOf('%') : -1;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            boolean allowed;
            if (ipv6 && (zone < 0 || i < zone)) {
                allowed = isHexDigit(c) || c == ':' || c == '.';
            } else if (ipv6 && i == zone) {
                allowed = i < address.length() - 1;
            } else {
                // DNS names, IPv4 addresses and IPv6 zone ids; '_' for container host names.
                allowed = isAsciiLetterOrDigit(c) || c == '.' || c == '-' || c == '_';
            }
            if (!allowed) {
                return "contains "
                        + describeChar(c)
                        + (c > 127 ? " (write an internationalised name in its ASCII form)" : "");
            }
        }
        return null;
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static String describeChar(char c) {
        if (c == ' ') {
            return "a space";
        }
        if (Character.isISOControl(c) || Character.isWhitespace(c)) {
            return String.format("the control character U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    /** The value in single quotes, control characters written as U+XXXX. */
    private static String quoted(String value) {
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("U+%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}
