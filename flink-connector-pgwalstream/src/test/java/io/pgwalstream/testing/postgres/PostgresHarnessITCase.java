package io.pgwalstream.testing.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness gives every test a real, correctly configured PostgreSQL of each version. */
@PostgresTest
@Timeout(180)
class PostgresHarnessITCase {

    /**
     * The smoke test of the whole matrix: a pgoutput slot decodes a committed insert at the
     * server's highest protocol version, and rejects the next one.
     */
    @EveryPostgresVersion
    void pgoutputDecodesAnInsertAtTheHighestProtocolVersion(PostgresServer pg) throws SQLException {
        String suffix = "smoke_" + pg.version().major();
        pg.execute(
                "CREATE TABLE " + suffix + " (id int PRIMARY KEY, note text)",
                "CREATE PUBLICATION pub_" + suffix + " FOR TABLE " + suffix,
                "SELECT pg_create_logical_replication_slot('slot_" + suffix + "', 'pgoutput')",
                "INSERT INTO " + suffix + " VALUES (1, 'hello')");
        try {
            int maxProto = pg.version().maxProtoVersion();
            List<byte[]> messages = peek(pg, "slot_" + suffix, "pub_" + suffix, maxProto);

            assertThat(messages).extracting(m -> (char) m[0]).containsExactly('B', 'R', 'I', 'C');
            byte[] insert = messages.get(2);
            // Insert: 'I', Int32 relation OID, 'N', Int16 ncols = 2, 't' Int32 len '1', ...
            assertThat((char) insert[5]).isEqualTo('N');
            assertThat(((insert[6] & 0xFF) << 8) | (insert[7] & 0xFF)).isEqualTo(2);
            assertThat(
                            new String(
                                    insert,
                                    8,
                                    insert.length - 8,
                                    java.nio.charset.StandardCharsets.UTF_8))
                    .contains("hello");

            assertThatThrownBy(() -> peek(pg, "slot_" + suffix, "pub_" + suffix, maxProto + 1))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("proto_version=" + (maxProto + 1));
        } finally {
            pg.execute("SELECT pg_drop_replication_slot('slot_" + suffix + "')");
        }
    }

    @EveryPostgresVersion
    void serversAreConfiguredForLogicalReplicationTests(PostgresServer pg) {
        assertThat(pg.serverVersionNum() / 10000).isEqualTo(pg.version().major());
        assertThat(pg.setting("wal_level")).isEqualTo("logical");
        assertThat(Integer.parseInt(pg.setting("max_replication_slots")))
                .isGreaterThanOrEqualTo(20);
        assertThat(Integer.parseInt(pg.setting("max_wal_senders"))).isGreaterThanOrEqualTo(20);
        assertThat(Integer.parseInt(pg.setting("max_prepared_transactions")))
                .isGreaterThanOrEqualTo(10);
        assertThat(pg.setting("logical_decoding_work_mem")).isEqualTo("64kB");
        assertThat(pg.setting("listen_addresses")).isEqualTo("127.0.0.1");
        if (pg.version().major() >= 16) {
            // The developer option that forces streaming of every transaction.
            assertThat(pg.setting("debug_logical_replication_streaming")).isEqualTo("buffered");
        }
    }

    @Test
    void superuserIsTrustedAndTheScramRoleNeedsItsPassword(PostgresServer pg) throws SQLException {
        try (Connection c = pg.connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).isTrue();
        }

        try (Connection c =
                connectAs(pg, PostgresServer.SCRAM_USER, PostgresServer.SCRAM_PASSWORD)) {
            assertThat(c.isValid(5)).isTrue();
        }
        try (Connection c = pg.connect();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT rolreplication, rolpassword LIKE 'SCRAM-SHA-256$%'"
                                        + " FROM pg_authid WHERE rolname = ?")) {
            s.setString(1, PostgresServer.SCRAM_USER);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).as("REPLICATION").isTrue();
                assertThat(rs.getBoolean(2)).as("SCRAM verifier").isTrue();
            }
        }

        assertThatThrownBy(() -> connectAs(pg, PostgresServer.SCRAM_USER, "wrong"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void databasesAreCreatedWithFreshNames(PostgresServer pg) throws SQLException {
        String first = pg.createDatabase("Harness Test");
        String second = pg.createDatabase("Harness Test");
        assertThat(first).isNotEqualTo(second).startsWith("harness_test_");
        try (Connection c = pg.connect(first)) {
            assertThat(c.getCatalog()).isEqualTo(first);
        }
    }

    private static Connection connectAs(PostgresServer pg, String user, String password)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection(pg.jdbcUrl("postgres"), props);
    }

    private static List<byte[]> peek(PostgresServer pg, String slot, String publication, int proto)
            throws SQLException {
        try (Connection c = pg.connect();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT data FROM pg_logical_slot_peek_binary_changes(?, NULL,"
                                        + " NULL, 'proto_version', ?, 'publication_names', ?)")) {
            s.setString(1, slot);
            s.setString(2, Integer.toString(proto));
            s.setString(3, publication);
            List<byte[]> messages = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    messages.add(rs.getBytes(1));
                }
            }
            return messages;
        }
    }
}
