package io.pgwalstream.protocol;

import io.pgwalstream.testing.postgres.PostgresServer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Captures real pgoutput bytes from a server: a fresh database per scenario, a pgoutput slot in it,
 * and {@code pg_logical_slot_get_binary_changes} with the options under test. Each call consumes
 * what it returns, so a scenario reads only its own changes.
 */
public final class PgOutputCapture implements AutoCloseable {

    /** One pgoutput message as the server produced it, with the LSN the server reported for it. */
    public record Captured(long lsn, byte[] bytes) {}

    private final PostgresServer server;
    private final String database;
    private final String slot;
    private final Connection connection;

    PgOutputCapture(PostgresServer server, String scenario, boolean twoPhaseSlot)
            throws SQLException {
        this(server, "golden", scenario, twoPhaseSlot);
    }

    /**
     * @param prefix names the database and the slot ({@code <prefix>_<scenario>}); slots are
     *     cluster-wide, so each test class uses its own prefix
     */
    public PgOutputCapture(
            PostgresServer server, String prefix, String scenario, boolean twoPhaseSlot)
            throws SQLException {
        this.server = server;
        this.database = server.createDatabase(prefix + "_" + scenario);
        this.slot = prefix + "_" + scenario.toLowerCase();
        this.connection = server.connect(database);
        try (PreparedStatement s =
                connection.prepareStatement(
                        "SELECT pg_create_logical_replication_slot(?, 'pgoutput', false, ?)")) {
            s.setString(1, slot);
            s.setBoolean(2, twoPhaseSlot);
            s.execute();
        }
    }

    /** Runs statements in autocommit mode on the scenario's database. */
    public void sql(String... statements) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** A second connection to the scenario's database, for sessions with their own settings. */
    public Connection newConnection() throws SQLException {
        return server.connect(database);
    }

    public List<Captured> changes(PgOutputOptions options, String publication) throws SQLException {
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

    /**
     * Captures and decodes with a decoder told the same options, leaving out empty transactions: a
     * Begin directly followed by its Commit. PostgreSQL 14 sends one for every transaction that
     * touched nothing published (DDL, for instance); 15 and later send none, which this checks.
     */
    List<PgOutputMessage> decoded(PgOutputOptions options, String publication) throws SQLException {
        PgOutputDecoder decoder = new PgOutputDecoder(options);
        List<PgOutputMessage> messages = new ArrayList<>();
        for (Captured c : changes(options, publication)) {
            PgOutputMessage message = decoder.decode(c.bytes(), c.lsn());
            boolean closesEmptyTransaction =
                    message instanceof Commit
                            && !messages.isEmpty()
                            && messages.get(messages.size() - 1) instanceof Begin;
            if (closesEmptyTransaction) {
                if (server.version().major() >= 15) {
                    throw new AssertionError(
                            server.version().displayName() + " sent an empty transaction");
                }
                messages.remove(messages.size() - 1);
            } else {
                messages.add(message);
            }
        }
        return messages;
    }

    public Connection connection() {
        return connection;
    }

    /** Decodes captured messages as sent, with a decoder told the same options. */
    public static List<PgOutputMessage> decode(PgOutputOptions options, List<Captured> captured) {
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
