package io.pgwalstream.replication;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Which replication connections get the coalescing socket factory. */
class PgConnectionsTest {

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
}
