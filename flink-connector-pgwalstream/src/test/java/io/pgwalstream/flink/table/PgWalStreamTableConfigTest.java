package io.pgwalstream.flink.table;

import io.pgwalstream.flink.rowdata.TruncateMode;
import io.pgwalstream.protocol.Lsn;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgWalStreamTableConfigTest {

    private static Configuration minimal() {
        Configuration c = new Configuration();
        c.setString("hostname", "db.example");
        c.setString("username", "cdc");
        c.setString("password", "s3cret-value");
        c.setString("database-name", "shop");
        c.setString("table-name", "orders");
        c.setString("slot.name", "flink_orders");
        return c;
    }

    private static PgWalStreamTableConfig read(Configuration c) {
        return PgWalStreamTableConfig.from(c, Map.of("sslmode", "require"));
    }

    @Test
    void defaultsFollowTheOptionDefinitions() {
        PgWalStreamTableConfig config = read(minimal());

        assertThat(config.connection().describe()).isEqualTo("cdc@db.example:5432/shop");
        assertThat(config.connection().driverProperties()).containsEntry("sslmode", "require");
        assertThat(config.schemaPattern()).isEqualTo("public");
        assertThat(config.publicationName()).isEqualTo("flink_orders");
        assertThat(config.startupMode()).isEqualTo(ScanStartupMode.INITIAL);
        assertThat(config.boundedMode()).isEqualTo(ScanBoundedMode.UNBOUNDED);
        assertThat(config.changelogMode()).isEqualTo(ChangelogModeChoice.AUTO);
        assertThat(config.truncateMode()).isEqualTo(TruncateMode.FAIL);
        assertThat(config.statusInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.receiveLinger()).isEqualTo(Duration.ofMillis(1));
        assertThat(config.toString()).doesNotContain("s3cret-value");
    }

    @Test
    void hyphenatedEnumValuesAndLsnsAreRead() {
        Configuration c = minimal();
        c.setString("scan.startup.mode", "specific-lsn");
        c.setString("scan.startup.specific-lsn", "0/16B3748");
        c.setString("scan.bounded.mode", "latest-offset");
        c.setString("changelog-mode", "upsert");
        c.setString("decoding.streaming", "parallel");

        PgWalStreamTableConfig config = read(c);

        assertThat(config.startupMode()).isEqualTo(ScanStartupMode.SPECIFIC_LSN);
        assertThat(config.startLsn()).isEqualTo(Lsn.parse("0/16B3748"));
        assertThat(config.boundedMode()).isEqualTo(ScanBoundedMode.LATEST_OFFSET);
        assertThat(config.changelogMode()).isEqualTo(ChangelogModeChoice.UPSERT);
    }

    @Test
    void everyProblemNamesItsOption() {
        assertProblem("table-name", "orders(", "Option 'table-name' is not a valid Java regular");
        assertProblem("slot.shards", "0", "Option 'slot.shards' must be at least 1");
        assertProblem("slot.name", "Bad-Slot", "Option 'slot.name'");
        assertProblem(
                "decoding.origin", "local", "Option 'decoding.origin' must be 'none' or 'any'");
        assertProblem("decoding.protocol-version", "5", "Option 'decoding.protocol-version'");
        assertProblem("port", "70000", "Option 'port' must be between 1 and 65535");
        assertProblem("replication.status-interval", "0 s", "must be positive");
        assertProblem(
                "replication.receive-linger",
                "1 s",
                "Option 'replication.receive-linger' must be between 0 and 200 ms, got 1000 ms");
        assertProblem(
                "scan.startup.specific-lsn",
                "0/1",
                "Option 'scan.startup.specific-lsn' is only used with 'scan.startup.mode' ="
                        + " 'specific-lsn'");
        assertProblem(
                "replication.reconnect.max-backoff",
                "10 ms",
                "Option 'replication.reconnect.max-backoff' must be at least"
                        + " 'replication.reconnect.initial-backoff'");
    }

    @Test
    void connectionOptionsThatCannotReachTheServerAreNamed() {
        assertProblem(
                "hostname",
                "db.example/shop?sslmode=disable",
                "Option 'hostname' cannot be used. The PostgreSQL host"
                        + " 'db.example/shop?sslmode=disable' contains '/'");
        assertProblem("hostname", "db.example:65536", "Option 'hostname' cannot be used.");
        Configuration nul = minimal();
        nul.setString("database-name", "shop\0x");
        assertThatThrownBy(() -> read(nul))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Option 'database-name' cannot be used.")
                .hasMessageContaining("contains a NUL character");
    }

    @Test
    void aDatabaseNameThatLooksLikeUrlParametersIsJustAName() {
        Configuration c = minimal();
        c.setString("database-name", "shop?sslmode=disable&replication=database");

        PgWalStreamTableConfig config = read(c);

        assertThat(config.connection().database())
                .isEqualTo("shop?sslmode=disable&replication=database");
        assertThat(config.connection().driverProperties()).isEqualTo(Map.of("sslmode", "require"));
    }

    @Test
    void driverPropertiesThatNameTheServerAreRefused() {
        Configuration c = minimal();

        assertThatThrownBy(() -> PgWalStreamTableConfig.from(c, Map.of("PGDBNAME", "postgres")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Option 'properties.PGDBNAME' cannot be set")
                .hasMessageContaining("'hostname', 'port' and 'database-name'");
    }

    @Test
    void aMissingRequiredOptionIsNamed() {
        Configuration c = minimal();
        c.removeKey("slot.name");

        assertThatThrownBy(() -> read(c))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Option 'slot.name' is required");
    }

    private static void assertProblem(String key, String value, String expected) {
        Configuration c = minimal();
        c.setString(key, value);
        assertThatThrownBy(() -> read(c))
                .as("%s = %s", key, value)
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-value"));
    }
}
