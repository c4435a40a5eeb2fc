package io.pgwalstream.e2e.changelog;

import io.pgwalstream.e2e.cluster.Waiting;
import io.pgwalstream.testing.postgres.PostgresServer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * A fresh database for one changelog case: tables {@code (id int PRIMARY KEY, v text)} with REPLICA
 * IDENTITY FULL (so updates and deletes carry the old value), each with its own publication and
 * logical slot. The slots are created before any change is written, so every change committed
 * afterwards is in the source's history and the job, starting from the slots' confirmed positions,
 * must deliver all of them.
 */
public record ChangelogDatabase(PostgresServer server, String name, List<String> tables) {

    /** Creates the database, {@code tableCount} tables, their publications and slots. */
    public static ChangelogDatabase create(PostgresServer server, String prefix, int tableCount)
            throws SQLException {
        String name = server.createDatabase(prefix);
        List<String> tables = new ArrayList<>();
        for (int i = 0; i < tableCount; i++) {
            tables.add("items_" + (char) ('a' + i));
        }
        ChangelogDatabase db = new ChangelogDatabase(server, name, List.copyOf(tables));
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            for (String table : tables) {
                s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, v text NOT NULL)");
                s.execute("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
                // Before the slot and before any change: a change written before its publication
                // existed makes the walsender fail.
                s.execute("CREATE PUBLICATION " + db.publication(table) + " FOR TABLE " + table);
                s.execute(
                        "SELECT pg_create_logical_replication_slot('"
                                + db.slot(table)
                                + "', 'pgoutput')");
            }
        }
        return db;
    }

    /** Slots are per server, not per database: the database name keeps them apart. */
    public String slot(String table) {
        return name + "_" + table;
    }

    public String publication(String table) {
        return "pub_" + table;
    }

    public Connection connect() throws SQLException {
        return server.connect(name);
    }

    /** The arguments of {@code ChangelogJob}: one slot group per table, output to a directory. */
    public List<String> jobArguments(Path output, int parallelism) {
        List<String> groups = new ArrayList<>();
        for (String table : tables) {
            groups.add(slot(table) + "/" + publication(table) + "/public." + table);
        }
        return List.of(
                "--host", server.host(),
                "--port", Integer.toString(server.port()),
                "--database", name,
                "--user", PostgresServer.SUPERUSER,
                "--groups", String.join(",", groups),
                "--output", output.toUri().toString(),
                "--parallelism", Integer.toString(parallelism));
    }

    /** The slot's {@code confirmed_flush_lsn}, as PostgreSQL's text form. */
    public String confirmedFlushLsn(String table) throws SQLException {
        return slotColumn(table, "confirmed_flush_lsn::text");
    }

    /**
     * Drops the slots once no walsender holds them any more (a stopped job's connections may take a
     * moment to go), so that the shared server does not keep WAL for finished cases.
     */
    public void dropSlots(Duration timeout) throws TimeoutException {
        for (String table : tables) {
            Waiting.until(
                    "slot " + slot(table) + " to be released",
                    timeout,
                    () -> {
                        try {
                            return "false".equals(slotColumn(table, "active::text"));
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            try (Connection c = connect();
                    Statement s = c.createStatement()) {
                s.execute("SELECT pg_drop_replication_slot('" + slot(table) + "')");
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot drop slot " + slot(table), e);
            }
        }
    }

    private String slotColumn(String table, String column) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT "
                                        + column
                                        + " FROM pg_replication_slots WHERE slot_name = '"
                                        + slot(table)
                                        + "'")) {
            if (!rs.next()) {
                throw new IllegalStateException("No slot " + slot(table) + " on " + server);
            }
            return rs.getString(1);
        }
    }
}
