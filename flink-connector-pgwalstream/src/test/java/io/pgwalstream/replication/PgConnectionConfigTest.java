package io.pgwalstream.replication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which hosts, databases and users a connection config accepts, and how it writes the hosts. */
class PgConnectionConfigTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "shop?sslmode=disable",
                "my+db",
                "100%",
                "a%20b",
                "x&replication=database",
                "a=b",
                "a/b",
                "a#b",
                " spaced ",
                "Grüße",
                "\"quoted\"",
                "it's"
            })
    void anyDatabaseNamePostgresAcceptsIsKeptLiterally(String database) {
        PgConnectionConfig config = PgConnectionConfig.of("db.example", 5432, database, "cdc");

        assertThat(config.database()).isEqualTo(database);
    }

    @Test
    void anEmptyDatabaseIsRefused() {
        assertThatThrownBy(() -> PgConnectionConfig.of("db.example", 5432, "", "cdc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The PostgreSQL database is missing");
    }

    @Test
    void aDatabaseWithANulCharacterIsRefused() {
        assertThatThrownBy(() -> PgConnectionConfig.of("db.example", 5432, "shop\0x", "cdc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("database 'shopU+0000x' contains a NUL character")
                .hasMessageNotContaining("\0");
    }

    @Test
    void aUserWithANulCharacterIsRefused() {
        assertThatThrownBy(() -> PgConnectionConfig.of("db.example", 5432, "shop", "cdc\0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user 'cdcU+0000' contains a NUL character");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "db.example",
                "DB-1.Example.COM",
                "pg_primary",
                "127.0.0.1",
                "::1",
                "[::1]",
                "fe80::1%eth0",
                "[2001:db8::17]",
                "primary.example,standby.example",
                "10.0.0.1,::1"
            })
    void hostNamesAndAddressesAreAccepted(String host) {
        assertThat(PgConnectionConfig.of(host, 5432, "shop", "cdc").host()).isEqualTo(host);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "db.example/shop?sslmode=disable",
                "db.example?sslmode=disable",
                "db.example&replication=database",
                "db.example#x",
                "db.example:99999",
                "cdc@db.example",
                "db example",
                " db.example",
                "db.example\t",
                "db.example,",
                "db1,,db2",
                "[db.example]",
                "[::1]:0",
                "fe80::1%",
                "::1/128",
                "bücher.example",
                "db\0.example"
            })
    void whatCannotBeAHostIsRefusedWithTheFix(String host) {
        assertThatThrownBy(() -> PgConnectionConfig.of(host, 5432, "shop", "cdc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The PostgreSQL host '")
                .hasMessageContaining(
                        "give a DNS name, an IPv4 address or an IPv6 address (several separated"
                                + " by commas, no spaces)")
                .hasMessageNotContaining("\0")
                .hasMessageNotContaining("\t");
    }

    @Test
    void theRefusalSaysWhichCharacterIsWrong() {
        assertThatThrownBy(() -> PgConnectionConfig.of("db.example:99999", 5432, "shop", "cdc"))
                .hasMessageContaining("has the port '99999', which is not a number from 1 to 65535")
                .hasMessageContaining("each optionally with its port (name:5432, [::1]:5432)");
        assertThatThrownBy(() -> PgConnectionConfig.of("db.example:", 5432, "shop", "cdc"))
                .hasMessageContaining("has the port ''");
        assertThatThrownBy(() -> PgConnectionConfig.of("db x", 5432, "shop", "cdc"))
                .hasMessageContaining("contains a space");
        assertThatThrownBy(() -> PgConnectionConfig.of("bücher.example", 5432, "shop", "cdc"))
                .hasMessageContaining("contains 'ü' (write an internationalised name in its ASCII");
        assertThatThrownBy(() -> PgConnectionConfig.of("a,,b", 5432, "shop", "cdc"))
                .hasMessageContaining("'a,,b' has an empty entry");
    }

    @Test
    void everyHostGetsThePortAndIpv6AddressesGetBrackets() {
        PgConnectionConfig config =
                PgConnectionConfig.of("primary.example,::1,[2001:db8::17]", 5433, "shop", "cdc");

        assertThat(config.pgHost()).isEqualTo("primary.example,[::1],[2001:db8::17]");
        assertThat(config.pgPort()).isEqualTo("5433,5433,5433");
    }

    @Test
    void eachHostMayNameItsOwnPort() {
        PgConnectionConfig config =
                PgConnectionConfig.of(
                        "primary.example:5433,standby.example,[2001:db8::17]:5434,::1",
                        5432,
                        "shop",
                        "cdc");

        assertThat(config.pgHost())
                .isEqualTo("primary.example,standby.example,[2001:db8::17],[::1]");
        assertThat(config.pgPort()).isEqualTo("5433,5432,5434,5432");
        assertThat(config.describe())
                .isEqualTo(
                        "cdc@primary.example:5433,standby.example:5432,[2001:db8::17]:5434,"
                                + "[::1]:5432/shop");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PGHOST", "PGPORT", "PGDBNAME"})
    void driverPropertiesCannotNameTheServer(String property) {
        assertThatThrownBy(
                        () ->
                                PgConnectionConfig.of("db.example", 5432, "shop", "cdc")
                                        .withDriverProperties(Map.of(property, "other")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("The driver property '" + property + "' cannot be set")
                .hasMessageContaining("from the host, port and database settings; remove it");
    }

    @Test
    void thePasswordStaysOutOfToStringAndDescribe() {
        PgConnectionConfig config =
                PgConnectionConfig.of("db.example", 5432, "shop", "cdc")
                        .withPassword("s3cret-value")
                        .withDriverProperties(Map.of("sslmode", "verify-full"));

        assertThat(config.toString())
                .doesNotContain("s3cret-value")
                .contains("cdc@db.example:5432/shop", "password=****", "[sslmode]");
        assertThat(config.describe()).doesNotContain("s3cret-value");
    }
}
