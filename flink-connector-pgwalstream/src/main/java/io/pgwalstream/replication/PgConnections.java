package io.pgwalstream.replication;

import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.slf4j.LoggerFactory;

import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens pgjdbc connections: plain SQL, logical replication and physical replication.
 *
 * <p>Every connection uses the same parameter-free URL, {@link #URL}, and names the server through
 * the properties {@code PGHOST}, {@code PGPORT} and {@code PGDBNAME}. pgjdbc lets parameters in the
 * URL win over properties and URL-decodes the database in it, so a host or database spliced into a
 * URL could carry driver settings ({@code shop?sslmode=disable}) or change its own name ({@code
 * my+db} read as {@code my db}); as properties they are taken literally.
 */
public final class PgConnections {

    static final String APPLICATION_NAME = "pg-walstream";

    /** The one URL every connection uses: no host, no database, no parameters. */
    static final String URL = "jdbc:postgresql://";

    /**
     * pgjdbc's driver, called directly rather than through {@code DriverManager}: DriverManager
     * only hands out drivers registered from the caller's class loader, and in a Flink TaskManager
     * that already ran another job with pgjdbc in its user jar, the registered driver is that job's
     * copy. A second job (a resume from a savepoint, another submission) then got "No suitable
     * driver".
     */
    private static final Driver DRIVER = new Driver();

    private static final boolean COALESCING_VISIBLE_TO_PGJDBC =
            visibleToPgjdbc(ReadCoalescingSocketFactory.class);

    private PgConnections() {}

    /** A regular SQL connection (catalog queries, publications). */
    public static Connection openSql(PgConnectionConfig config) throws SQLException {
        return connect(config, sqlProperties(config));
    }

    /**
     * A SQL connection for short queries whose peer must not hang the caller: a server that stops
     * answering (a half-open connection after a partition) fails a query after {@code readTimeout}
     * instead of after TCP's own minutes. The user's {@code socketTimeout} driver property wins.
     */
    public static Connection openSql(PgConnectionConfig config, Duration readTimeout)
            throws SQLException {
        return connect(config, sqlProperties(config, readTimeout));
    }

    static Properties sqlProperties(PgConnectionConfig config, Duration readTimeout) {
        Properties props = sqlProperties(config);
        if (!config.driverProperties().containsKey(PGProperty.SOCKET_TIMEOUT.getName())) {
            long seconds = Math.max(1, readTimeout.toSeconds());
            PGProperty.SOCKET_TIMEOUT.set(props, Long.toString(seconds));
        }
        return props;
    }

    /**
     * A logical walsender connection ({@code replication=database}): replication commands and plain
     * SQL, simple query protocol only.
     */
    public static PGConnection openLogicalReplication(PgConnectionConfig config)
            throws SQLException {
        return openReplication(config, "database", Duration.ZERO);
    }

    /**
     * A logical walsender connection whose reads are coalesced (see {@link
     * ReadCoalescingSocketFactory}).
     */
    public static PGConnection openLogicalReplication(
            PgConnectionConfig config, Duration readLinger) throws SQLException {
        return openReplication(config, "database", readLinger);
    }

    /** A physical walsender connection ({@code replication=true}): replication commands only. */
    public static PGConnection openPhysicalReplication(PgConnectionConfig config)
            throws SQLException {
        return openReplication(config, "true", Duration.ZERO);
    }

    /**
     * A physical walsender connection whose reads are coalesced (see {@link
     * ReadCoalescingSocketFactory}).
     */
    public static PGConnection openPhysicalReplication(
            PgConnectionConfig config, Duration readLinger) throws SQLException {
        return openReplication(config, "true", readLinger);
    }

    private static PGConnection openReplication(
            PgConnectionConfig config, String mode, Duration readLinger) throws SQLException {
        return connect(config, replicationProperties(config, mode, readLinger))
                .unwrap(PGConnection.class);
    }

    /** The properties of a walsender connection ({@code mode} "database" or "true"). */
    static Properties replicationProperties(
            PgConnectionConfig config, String mode, Duration readLinger) {
        Properties props = sqlProperties(config);
        coalesceReads(props, readLinger);
        PGProperty.REPLICATION.set(props, mode);
        // Walsenders accept only the simple query protocol.
        PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        // Sends session settings in the startup packet instead of SQL after connecting, which a
        // physical walsender would refuse.
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
        return props;
    }

    /**
     * Installs {@link ReadCoalescingSocketFactory} unless the user chose a socket factory, or
     * pgjdbc's class loader cannot see ours (pgjdbc in a parent class loader, this connector in a
     * job jar): then reads are not coalesced, which costs CPU, never correctness.
     */
    static void coalesceReads(Properties props, Duration readLinger) {
        if (readLinger.isZero()
                || props.containsKey(PGProperty.SOCKET_FACTORY.getName())
                || !COALESCING_VISIBLE_TO_PGJDBC) {
            return;
        }
        PGProperty.SOCKET_FACTORY.set(props, ReadCoalescingSocketFactory.class.getName());
        props.setProperty(
                ReadCoalescingSocketFactory.LINGER_MICROS_PROPERTY,
                Long.toString(readLinger.toNanos() / 1000));
    }

    private static boolean visibleToPgjdbc(Class<?> ours) {
        try {
            if (Class.forName(ours.getName(), false, Driver.class.getClassLoader()) == ours) {
                return true;
            }
        } catch (ClassNotFoundException | LinkageError e) {
            // reported below
        }
        // Looked up only here: a class loader holding the shaded jar alone (no SLF4J) must still
        // be able to open connections.
        LoggerFactory.getLogger(PgConnections.class)
                .info(
                        "Replication socket reads are not coalesced: pgjdbc was loaded by another"
                            + " class loader than pg-walstream (put both in the job jar, or both in"
                            + " lib/). Small transactions then cost more client CPU; nothing else"
                            + " changes.");
        return false;
    }

    private static Connection connect(PgConnectionConfig config, Properties props)
            throws SQLException {
        Connection connection;
        try {
            connection = DRIVER.connect(URL, props);
        } catch (SQLException e) {
            throw TlsFailures.explain(e, config);
        }
        if (connection == null) {
            // Only when pgjdbc finds PGHOST and PGPORT inconsistent, which sqlProperties rules out.
            throw new SQLException(
                    "pgjdbc refused the connection properties for "
                            + config.describe()
                            + "; check host and port");
        }
        return connection;
    }

    /**
     * The properties of a plain SQL connection: the driver properties, then what the connector sets
     * itself, so that the server, the user and a given password cannot be overridden by them.
     */
    static Properties sqlProperties(PgConnectionConfig config) {
        Properties props = new Properties();
        props.putAll(config.driverProperties());
        PGProperty.PG_HOST.set(props, config.pgHost());
        PGProperty.PG_PORT.set(props, config.pgPort());
        PGProperty.PG_DBNAME.set(props, config.database());
        PGProperty.USER.set(props, config.user());
        if (config.password() != null) {
            PGProperty.PASSWORD.set(props, config.password());
        }
        if (!config.driverProperties().containsKey(PGProperty.APPLICATION_NAME.getName())) {
            PGProperty.APPLICATION_NAME.set(props, APPLICATION_NAME);
        }
        return props;
    }

    /** Whether {@code e} is a socket read that timed out (the connection itself may be fine). */
    static boolean isReadTimeout(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The value of {@code SHOW setting}. */
    static String show(Connection connection, String setting) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Closes a connection that is given up anyway; a failure to close is only logged. */
    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            LoggerFactory.getLogger(PgConnections.class)
                    .debug("Closing a replication connection failed", e);
        }
    }
}
