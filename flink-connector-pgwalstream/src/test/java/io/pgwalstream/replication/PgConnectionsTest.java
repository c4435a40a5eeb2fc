package io.pgwalstream.replication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.Driver;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The URL and properties connections are opened with, read back through pgjdbc's own {@link
 * Driver#parseURL}, which merges URL and properties the way {@code connect} does (URL parameters
 * win); and which replication connections get the coalescing socket factory.
 */
class PgConnectionsTest {

    private static final PgConnectionConfig SHOP =
            PgConnectionConfig.of("db.example", 5433, "shop", "cdc")
                    .withPassword("s3cret-value")
                    .withDriverProperties(Map.of("sslmode", "verify-full"));

    @Test
    void theUrlCarriesNothing() {
        Properties given = new Properties();
        given.setProperty("password", "x"); // keeps pgjdbc from looking into a .pgpass file

        Properties parsed = Driver.parseURL(PgConnections.URL, given);

        assertThat(parsed).isNotNull();
        assertThat(parsed.stringPropertyNames())
                .as("the password and pgjdbc's defaults for host and port, nothing from the URL")
                .containsExactlyInAnyOrder("password", "PGHOST", "PGPORT");
        assertThat(parsed.getProperty("PGHOST")).isEqualTo("localhost");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "shop?sslmode=disable",
                "shop?replication=database&sslmode=disable",
                "shop&sslmode=disable",
                "my+db",
                "a%20b",
                "100%",
                "a/b",
                "a#b",
                "a=b",
                "?socketFactory=com.example.Evil",
                "Grüße ü"
            })
    void theDatabaseReachesPgjdbcLiterallyAndSetsNothingElse(String database) {
        PgConnectionConfig config =
                new PgConnectionConfig(
                        "db.example",
                        5433,
                        database,
                        "cdc",
                        "s3cret-value",
                        SHOP.driverProperties());

        for (Properties props :
                new Properties[] {
                    PgConnections.sqlProperties(config),
                    PgConnections.replicationProperties(config, "database", Duration.ZERO)
                }) {
            Properties parsed = Driver.parseURL(PgConnections.URL, props);

            assertThat(parsed.getProperty("PGDBNAME")).isEqualTo(database);
            assertThat(parsed.getProperty("PGHOST")).isEqualTo("db.example");
            assertThat(parsed.getProperty("PGPORT")).isEqualTo("5433");
            assertThat(parsed.getProperty("sslmode")).isEqualTo("verify-full");
            assertThat(parsed.stringPropertyNames()).isEqualTo(props.stringPropertyNames());
        }
        assertThat(PgConnections.sqlProperties(config)).doesNotContainKey("replication");
    }

    @Test
    void severalHostsShareThePort() {
        PgConnectionConfig config = PgConnectionConfig.of("h1,::1", 6432, "shop", "cdc");

        Properties parsed = Driver.parseURL(PgConnections.URL, PgConnections.sqlProperties(config));

        assertThat(parsed.getProperty("PGHOST")).isEqualTo("h1,[::1]");
        assertThat(parsed.getProperty("PGPORT")).isEqualTo("6432,6432");
    }

    @Test
    void driverPropertiesCannotOverrideUserPasswordOrWalsenderSettings() {
        PgConnectionConfig config =
                SHOP.withDriverProperties(
                        Map.of(
                                "user", "postgres",
                                "password", "other",
                                "replication", "false",
                                "preferQueryMode", "extended",
                                "assumeMinServerVersion", "9.4",
                                "sslmode", "verify-full"));

        Properties sql = PgConnections.sqlProperties(config);
        assertThat(sql.getProperty("user")).isEqualTo("cdc");
        assertThat(sql.getProperty("password")).isEqualTo("s3cret-value");

        Properties logical =
                Driver.parseURL(
                        PgConnections.URL,
                        PgConnections.replicationProperties(config, "database", Duration.ZERO));
        assertThat(logical.getProperty("replication")).isEqualTo("database");
        assertThat(logical.getProperty("preferQueryMode")).isEqualTo("simple");
        assertThat(logical.getProperty("assumeMinServerVersion")).isEqualTo("10");
        assertThat(logical.getProperty("user")).isEqualTo("cdc");
        assertThat(logical.getProperty("sslmode")).isEqualTo("verify-full");

        Properties physical =
                PgConnections.replicationProperties(config, "true", Duration.ofMillis(1));
        assertThat(physical.getProperty("replication")).isEqualTo("true");
    }

    @Test
    void aPasswordGivenOnlyAsADriverPropertyIsStillUsed() {
        PgConnectionConfig config =
                PgConnectionConfig.of("db.example", 5432, "shop", "cdc")
                        .withDriverProperties(Map.of("password", "from-properties"));

        assertThat(PgConnections.sqlProperties(config).getProperty("password"))
                .isEqualTo("from-properties");
    }

    @Test
    void aLingerInstallsTheCoalescingSocketFactory() {
        Properties props = new Properties();
        PgConnections.coalesceReads(props, Duration.ofMillis(2));
        assertThat(props.getProperty("socketFactory"))
                .isEqualTo(ReadCoalescingSocketFactory.class.getName());
        assertThat(new ReadCoalescingSocketFactory(props).lingerNanos()).isEqualTo(2_000_000);
    }

    @Test
    void noLingerNoFactory() {
        Properties props = new Properties();
        PgConnections.coalesceReads(props, Duration.ZERO);
        assertThat(props).isEmpty();
    }

    @Test
    void theUsersOwnSocketFactoryWins() {
        Properties props = new Properties();
        props.setProperty("socketFactory", "com.example.ProxySocketFactory");
        PgConnections.coalesceReads(props, Duration.ofMillis(1));
        assertThat(props.getProperty("socketFactory")).isEqualTo("com.example.ProxySocketFactory");
        assertThat(props).hasSize(1);
    }

    @Test
    void shortQueryConnectionsGiveUpASilentServerUnlessTheUserSetsTheirOwnTimeout() {
        PgConnectionConfig plain = PgConnectionConfig.of("db.example", 5432, "shop", "cdc");
        assertThat(PgConnections.sqlProperties(plain, Duration.ofSeconds(30)))
                .containsEntry("socketTimeout", "30");
        assertThat(PgConnections.sqlProperties(plain)).doesNotContainKey("socketTimeout");
        PgConnectionConfig own = plain.withDriverProperties(java.util.Map.of("socketTimeout", "7"));
        assertThat(PgConnections.sqlProperties(own, Duration.ofSeconds(30)))
                .containsEntry("socketTimeout", "7");
    }
}
