package io.pgwalstream.packaging;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLClassLoader;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The connector reaches the pgjdbc of its own jar from a fresh class loader, as in a Flink job's
 * user class loader: each job (and each resume from a savepoint) gets a new one, while {@code
 * java.sql.DriverManager} is one per JVM and hands out only drivers registered from the caller's
 * loader. A connector that asked DriverManager got "No suitable driver" in every job after the
 * first on a TaskManager.
 */
class UserClassLoaderConnectionITCase {

    @Test
    void connectsThroughTheBundledDriverFromAFreshClassLoader() throws Exception {
        ShadedJar jar = ShadedJar.built();
        int closedPort = closedLoopbackPort();
        try (URLClassLoader loader = IsolatedJarLoader.of(jar.path())) {
            Class<?> configType =
                    Class.forName("io.pgwalstream.replication.PgConnectionConfig", true, loader);
            Object config =
                    configType
                            .getMethod("of", String.class, int.class, String.class, String.class)
                            .invoke(null, "127.0.0.1", closedPort, "db", "user");
            Class<?> connections =
                    Class.forName("io.pgwalstream.replication.PgConnections", true, loader);

            Throwable thrown =
                    catchThrowable(
                            () ->
                                    connections
                                            .getMethod("openSql", configType)
                                            .invoke(null, config));

            // Nothing listens there: pgjdbc itself must have tried, and failed to connect.
            assertThat(thrown).isInstanceOf(InvocationTargetException.class);
            Throwable cause = thrown.getCause();
            assertThat(cause).isInstanceOf(SQLException.class);
            assertThat(cause.getMessage()).doesNotContain("No suitable driver");
            assertThat(cause.getClass().getName()).isEqualTo("org.postgresql.util.PSQLException");
            assertThat(((SQLException) cause).getSQLState()).isEqualTo("08001");
        }
    }

    /** A loopback port that was free a moment ago and has no listener. */
    private static int closedLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
