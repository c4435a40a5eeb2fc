package io.pgwalstream.flink.source;

import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.PgConnections;
import io.pgwalstream.testing.TestCertificates;
import io.pgwalstream.testing.postgres.EveryPostgresVersion;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;
import io.pgwalstream.testing.postgres.PostgresVersion;
import io.pgwalstream.testing.postgres.ServerTls;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * TLS with certificates made for the test: {@code sslmode=verify-full} streams (replication and
 * side connections, socket reads coalesced), and a certificate of another CA, a host name the
 * certificate does not name, and {@code require} against a server without TLS each fail the job
 * with an error that names the problem.
 */
@PostgresTest
@Timeout(300)
class TlsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @TempDir static Path certificates;

    private static final Map<PostgresVersion, PostgresServer> TLS =
            new EnumMap<>(PostgresVersion.class);
    private static TestCertificates served;

    @AfterAll
    static void stopServers() {
        TLS.values().forEach(PostgresServer::close);
        TLS.clear();
    }

    @EveryPostgresVersion
    void verifyFullStreamsOverTls(PostgresServer shared) throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(tlsServer(shared.version()), "tls");
        db.createSlotAndReadPosition(0);
        db.sql("INSERT INTO items VALUES (1, 'secret'), (2, 'also secret')");
        PgConnectionConfig config = verifyFull(db, served.caCertificate());

        List<String> rows =
                collect(
                        db.source(1)
                                .connection(config)
                                // Reads coalesced under TLS too.
                                .receiveLinger(Duration.ofMillis(5))
                                .stopAtCurrentLsn()
                                .build());

        assertThat(rows).containsExactly("+I items 1 secret", "+I items 2 also secret");
        // The server takes TLS connections only, so those of the job were.
        assertThat(
                        catchThrowable(
                                () ->
                                        PgConnections.openSql(
                                                        db.config()
                                                                .withDriverProperties(
                                                                        Map.of(
                                                                                "sslmode",
                                                                                "disable")))
                                                .close()))
                .hasMessageContaining("no encryption");
    }

    @Test
    void aCertificateOfAnotherAuthorityIsRefused() throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(tlsServer(), "tls_other_ca");
        TestCertificates other =
                TestCertificates.create(certificates.resolve("other"), "127.0.0.1");

        String messages = failure(db.source(1).connection(verifyFull(db, other.caCertificate())));

        assertThat(messages)
                .contains("not signed by a certificate authority the client trusts")
                .contains("sslrootcert");
    }

    @Test
    void aHostNameTheCertificateDoesNotNameIsRefused() throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(tlsServer(), "tls_wrong_host");
        TestCertificates elsewhere =
                TestCertificates.create(certificates.resolve("elsewhere"), "127.0.0.2");
        ServerTls.enable(tlsServer(), elsewhere);
        try {
            String messages =
                    failure(db.source(1).connection(verifyFull(db, elsewhere.caCertificate())));

            assertThat(messages)
                    .contains("The hostname 127.0.0.1 could not be verified")
                    .contains("does not name the host connected to");
        } finally {
            ServerTls.enable(tlsServer(), served);
        }
    }

    @Test
    void requireAgainstAServerWithoutTlsIsRefused(PostgresServer plain) throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(plain, "tls_none");
        Map<String, String> properties = new HashMap<>(Map.of("sslmode", "require"));

        String messages =
                failure(db.source(1).connection(db.config().withDriverProperties(properties)));

        assertThat(messages)
                .contains("does not support SSL")
                .contains("turn TLS on at the server, or lower sslmode");
    }

    private static PgConnectionConfig verifyFull(SourceTestDatabase db, Path ca) {
        return db.config()
                .withDriverProperties(
                        Map.of("sslmode", "verify-full", "sslrootcert", ca.toString()));
    }

    private static String failure(PgWalStreamSourceBuilder<String> source) {
        Throwable failure = catchThrowable(() -> collect(source.stopAtCurrentLsn().build()));
        assertThat(failure).isNotNull();
        return Failures.messages(failure);
    }

    private static List<String> collect(PgWalStreamSource<String> source) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.configure(new Configuration().set(RestartStrategyOptions.RESTART_STRATEGY, "none"));
        List<String> out = new ArrayList<>();
        try (CloseableIterator<String> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "pg-walstream-tls")
                        .executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static PostgresServer tlsServer() {
        return tlsServer(PostgresVersion.DEFAULT);
    }

    /** A server of the version that takes TLS connections only, with the test's certificate. */
    private static synchronized PostgresServer tlsServer(PostgresVersion version) {
        if (served == null) {
            served = TestCertificates.create(certificates.resolve("served"), "127.0.0.1");
        }
        return TLS.computeIfAbsent(
                version,
                v -> {
                    PostgresServer server = PostgresServer.start(v);
                    ServerTls.enable(server, served);
                    return server;
                });
    }
}
