package io.pgwalstream.e2e.cluster;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The SQL Gateway JVM of a {@link FlinkCluster} ({@code org.apache.flink.table.gateway.SqlGateway}
 * on {@code lib/} plus {@code opt/}), with its REST endpoint on a free loopback port. It finds the
 * session cluster through {@code rest.address}/{@code rest.port} in the cluster's configuration.
 */
final class SqlGateway {

    private static final String MAIN = "org.apache.flink.table.gateway.SqlGateway";

    private final ManagedProcess process;
    private final SqlGatewayClient client;

    private SqlGateway(ManagedProcess process, SqlGatewayClient client) {
        this.process = process;
        this.client = client;
    }

    static SqlGateway start(FlinkCluster cluster) throws TimeoutException {
        int port = FreePorts.next();
        List<Path> classpath = new ArrayList<>(cluster.distribution().libJars());
        classpath.addAll(cluster.distribution().optJars());
        ManagedProcess process =
                cluster.startJvm(
                        "sql-gateway",
                        List.of("-Xmx384m", "-XX:MaxMetaspaceSize=256m"),
                        classpath,
                        MAIN,
                        List.of(
                                "-Dsql-gateway.endpoint.rest.address=127.0.0.1",
                                "-Dsql-gateway.endpoint.rest.bind-address=127.0.0.1",
                                "-Dsql-gateway.endpoint.rest.port=" + port));
        SqlGatewayClient client = new SqlGatewayClient(URI.create("http://127.0.0.1:" + port));
        Waiting.until(
                "the SQL Gateway at port " + port,
                FlinkCluster.STARTUP_TIMEOUT,
                () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                "The SQL Gateway exited:\n"
                                        + FlinkCluster.tail(process.outputText(), 30));
                    }
                    try {
                        client.info();
                        return true;
                    } catch (RestException e) {
                        return false;
                    }
                });
        return new SqlGateway(process, client);
    }

    ManagedProcess process() {
        return process;
    }

    SqlGatewayClient client() {
        return client;
    }
}
