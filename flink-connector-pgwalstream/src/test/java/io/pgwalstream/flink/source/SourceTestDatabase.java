package io.pgwalstream.flink.source;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.ReconnectPolicy;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.testing.postgres.PostgresServer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/** A fresh database with a published table {@code items (id int PRIMARY KEY, v text)}. */
record SourceTestDatabase(PostgresServer pg, String name) {

    static SourceTestDatabase create(PostgresServer pg, String prefix) throws SQLException {
        SourceTestDatabase db = new SourceTestDatabase(pg, pg.createDatabase("source_" + prefix));
        db.sql(
                "CREATE TABLE items (id int PRIMARY KEY, v text)",
                "CREATE PUBLICATION pub_items FOR TABLE items");
        return db;
    }

    String slot(int i) {
        return name + "_s" + i;
    }

    PgConnectionConfig config() {
        return PgConnectionConfig.of(pg.host(), pg.port(), name, PostgresServer.SUPERUSER);
    }

    /** A source over {@code groups} slot groups that all stream {@code items}. */
    PgWalStreamSourceBuilder<String> source(int groups) {
        PgWalStreamSourceBuilder<String> b =
                PgWalStreamSource.<String>builder()
                        .connection(config())
                        .reconnectPolicy(ReconnectPolicy.DEFAULT)
                        .statusInterval(Duration.ofSeconds(1))
                        .deserializer(new RowTextDeserializer());
        for (int i = 0; i < groups; i++) {
            b.slotGroup(slot(i), "pub_items", List.of(TableName.of("public", "items")));
        }
        return b;
    }

    Lsn createSlotAndReadPosition(int i) throws SQLException {
        sql("SELECT pg_create_logical_replication_slot('" + slot(i) + "', 'pgoutput')");
        return confirmedFlush(i);
    }

    Lsn confirmedFlush(int i) throws SQLException {
        return Lsn.parse(
                queryString(
                        "SELECT confirmed_flush_lsn::text FROM pg_replication_slots"
                                + " WHERE slot_name = '"
                                + slot(i)
                                + "'"));
    }

    Lsn currentWalLsn() throws SQLException {
        return Lsn.parse(queryString("SELECT pg_current_wal_lsn()::text"));
    }

    /** The walsender of slot {@code i}, or 0 when no session holds it. */
    int activePid(int i) throws SQLException {
        String pid =
                queryString(
                        "SELECT coalesce(active_pid, 0)::text FROM pg_replication_slots"
                                + " WHERE slot_name = '"
                                + slot(i)
                                + "'");
        return Integer.parseInt(pid);
    }

    String queryString(String query) throws SQLException {
        try (Connection c = pg.connect(name);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            if (!rs.next()) {
                throw new IllegalStateException("No row for " + query);
            }
            return rs.getString(1);
        }
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = pg.connect(name);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
