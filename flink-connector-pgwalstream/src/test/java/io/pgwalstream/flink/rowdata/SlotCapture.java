package io.pgwalstream.flink.rowdata;

import io.pgwalstream.protocol.Insert;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgOutputDecoder;
import io.pgwalstream.protocol.PgOutputMessage;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.TypeMessage;
import io.pgwalstream.protocol.Update;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.UserTypeCatalog;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.types.PgUserType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A database with a pgoutput slot whose changes are read with {@code
 * pg_logical_slot_peek_binary_changes} (so the same changes can be read in text and in binary form,
 * under different session settings) and decoded with {@link PgOutputDecoder}.
 */
final class SlotCapture implements AutoCloseable {

    /** What one read of the slot decoded to. */
    static final class Decoded {
        final List<TypeMessage> types = new ArrayList<>();
        final List<Relation> relations = new ArrayList<>();
        final List<Insert> inserts = new ArrayList<>();
        final List<Update> updates = new ArrayList<>();

        Relation relation(String name) {
            return relations.stream()
                    .filter(r -> r.relationName().equals(name))
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no Relation " + name));
        }

        List<Insert> inserts(Relation relation) {
            return inserts.stream().filter(i -> i.relationOid() == relation.relationOid()).toList();
        }
    }

    private final String slot;
    private final Connection connection;
    final String database;
    private final PostgresServer server;

    /** The capture database, as the connector connects to it. */
    PgConnectionConfig config() {
        return PgConnectionConfig.of(
                server.host(), server.port(), database, PostgresServer.SUPERUSER);
    }

    SlotCapture(PostgresServer server, String name) throws SQLException {
        this.server = server;
        this.database = server.createDatabase("conv_" + name);
        this.slot = "conv_" + name;
        this.connection = server.connect(database);
        sql("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
    }

    void sql(String... statements) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    Connection connect() throws SQLException {
        return server.connect(database);
    }

    /**
     * Reads (without consuming) every change so far with the server's highest protocol version, in
     * binary or text form, with {@code settings} (e.g. {@code SET TimeZone = ...}) applied to the
     * session that runs the output functions.
     */
    Decoded peek(boolean binary, String... settings) throws SQLException {
        Decoded decoded = new Decoded();
        int proto = server.version().maxProtoVersion();
        PgOutputDecoder decoder = new PgOutputDecoder(PgOutputOptions.of(proto).withBinary(binary));
        try (Connection c = server.connect(database)) {
            try (Statement s = c.createStatement()) {
                for (String setting : settings) {
                    s.execute(setting);
                }
            }
            try (PreparedStatement s =
                    c.prepareStatement(
                            "SELECT lsn::text, data FROM pg_logical_slot_peek_binary_changes(?,"
                                    + " NULL, NULL, 'proto_version', ?, 'publication_names', 'pub',"
                                    + " 'binary', ?)")) {
                s.setString(1, slot);
                s.setString(2, Integer.toString(proto));
                s.setString(3, Boolean.toString(binary));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        PgOutputMessage m =
                                decoder.decode(rs.getBytes(2), Lsn.parse(rs.getString(1)).value());
                        if (m instanceof TypeMessage t) {
                            decoded.types.add(t);
                        } else if (m instanceof Relation r) {
                            decoded.relations.add(r);
                        } else if (m instanceof Insert i) {
                            decoded.inserts.add(i);
                        } else if (m instanceof Update u) {
                            decoded.updates.add(u);
                        }
                    }
                }
            }
        }
        return decoded;
    }

    /** Catalog facts of every user type, as the connector reads them at start-up. */
    List<PgUserType> userTypes() throws SQLException {
        return UserTypeCatalog.readAll(connection);
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
