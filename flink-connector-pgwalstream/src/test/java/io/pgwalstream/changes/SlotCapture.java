package io.pgwalstream.changes;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgOutputDecoder;
import io.pgwalstream.protocol.PgOutputMessage;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.protocol.StreamingMode;
import io.pgwalstream.testing.postgres.PostgresServer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Real pgoutput bytes from a server: a fresh database, a pgoutput slot in it, and {@code
 * pg_logical_slot_get_binary_changes} with the options under test (each call consumes what it
 * returns).
 */
final class SlotCapture implements AutoCloseable {

    /** One pgoutput message as the server produced it, with the LSN it reported. */
    record Captured(long lsn, byte[] bytes) {}

    private final String slot;
    private final Connection connection;
    private final PostgresServer server;
    private final String database;

    SlotCapture(PostgresServer server, String scenario, boolean twoPhaseSlot) throws SQLException {
        this.server = server;
        this.database = server.createDatabase("changes_" + scenario);
        this.slot = "changes_" + scenario.toLowerCase();
        this.connection = server.connect(database);
        try (PreparedStatement s =
                connection.prepareStatement(
                        "SELECT pg_create_logical_replication_slot(?, 'pgoutput', false, ?)")) {
            s.setString(1, slot);
            s.setBoolean(2, twoPhaseSlot);
            s.execute();
        }
    }

    void sql(String... statements) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** Another connection to the scenario's database, for concurrent transactions. */
    Connection newConnection() throws SQLException {
        return server.connect(database);
    }

    Connection connection() {
        return connection;
    }

    List<Captured> changes(PgOutputOptions options, String publication) throws SQLException {
        List<String> args = new ArrayList<>();
        args.add("proto_version");
        args.add(Integer.toString(options.protoVersion()));
        args.add("publication_names");
        args.add(publication);
        args.add("binary");
        args.add(Boolean.toString(options.binary()));
        args.add("messages");
        args.add(Boolean.toString(options.messages()));
        if (options.streamingEnabled()) {
            args.add("streaming");
            args.add(options.streaming() == StreamingMode.PARALLEL ? "parallel" : "on");
        }
        if (options.twoPhase()) {
            args.add("two_phase");
            args.add("true");
        }
        StringBuilder sql =
                new StringBuilder(
                        "SELECT lsn::text, data FROM pg_logical_slot_get_binary_changes(?, NULL,"
                                + " NULL");
        args.forEach(a -> sql.append(", ?"));
        sql.append(')');
        List<Captured> captured = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(sql.toString())) {
            s.setString(1, slot);
            for (int i = 0; i < args.size(); i++) {
                s.setString(i + 2, args.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    captured.add(new Captured(Lsn.parse(rs.getString(1)).value(), rs.getBytes(2)));
                }
            }
        }
        return captured;
    }

    /** The captured messages decoded, to assert what the server actually sent. */
    static List<PgOutputMessage> decode(PgOutputOptions options, List<Captured> captured) {
        PgOutputDecoder decoder = new PgOutputDecoder(options);
        List<PgOutputMessage> messages = new ArrayList<>();
        for (Captured c : captured) {
            messages.add(decoder.decode(c.bytes(), c.lsn()));
        }
        return messages;
    }

    @Override
    public void close() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        } finally {
            connection.close();
        }
    }
}
