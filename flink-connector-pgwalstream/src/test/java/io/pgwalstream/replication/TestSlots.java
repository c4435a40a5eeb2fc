package io.pgwalstream.replication;

import io.pgwalstream.testing.postgres.PostgresServer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Slot names unique in the JVM (slots are cluster-wide and servers are shared) and clean-up of the
 * permanent slots a test leaves: close it after the managers, so temporary slots are gone already.
 */
final class TestSlots implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final PostgresServer server;
    private final String database;
    private final List<String> names = new ArrayList<>();

    /** Slots of a fresh database on {@code server}. */
    TestSlots(PostgresServer server, String prefix) {
        this.server = server;
        this.database = server.createDatabase(prefix);
    }

    String database() {
        return database;
    }

    /** A new slot name, dropped on {@link #close()} if it still exists. */
    String name(String role) {
        String name = role + "_" + SEQUENCE.incrementAndGet();
        names.add(name);
        return name;
    }

    PgConnectionConfig config() {
        return PgConnectionConfig.of(
                server.host(), server.port(), database, PostgresServer.SUPERUSER);
    }

    PgSlotManager manager() throws SQLException {
        return PgSlotManager.open(config());
    }

    Connection sql() throws SQLException {
        return server.connect(database);
    }

    /**
     * Drops the test's slots. A slot stays active until the backend of a closed connection has
     * exited, which the server does shortly after the client closed it: wait for that.
     */
    @Override
    public void close() throws SQLException {
        try (Connection c = server.connect();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT pg_drop_replication_slot(slot_name)"
                                        + " FROM pg_replication_slots WHERE slot_name = ?"
                                        + " AND NOT active")) {
            for (String name : names) {
                await(Duration.ofSeconds(30), "slot " + name + " dropped", () -> drop(s, name));
            }
        }
    }

    private boolean drop(PreparedStatement dropIfInactive, String name) {
        try {
            dropIfInactive.setString(1, name);
            dropIfInactive.execute();
            try (Connection c = server.connect();
                    PreparedStatement exists =
                            c.prepareStatement(
                                    "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
                exists.setString(1, name);
                try (java.sql.ResultSet rs = exists.executeQuery()) {
                    return !rs.next();
                }
            }
        } catch (SQLException e) {
            // Became active again between the check and the drop: try again.
            return false;
        }
    }

    /** Waits for {@code condition}, checking every 20 ms, or fails after {@code timeout}. */
    static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
