package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * {@link SlotManager} over one logical walsender connection ({@code replication=database}), which
 * takes both replication commands and the SQL that reads {@code pg_replication_slots}. Command text
 * comes from {@link SlotCommands} for the server's version, read once when the manager opens.
 *
 * <p>Not thread-safe: one connection, one command at a time. Exported snapshots ({@link
 * SnapshotAction#EXPORT}) live until this manager runs its next command, so other sessions must
 * import them before the manager is used again.
 */
public final class PgSlotManager implements SlotManager {

    private static final Logger LOG = LoggerFactory.getLogger(PgSlotManager.class);

    /** SNAPSHOT 'use' must be the first command of such a transaction (walsender.c). */
    private static final String BEGIN_SNAPSHOT_TRANSACTION =
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

    private final Connection connection;
    private final ServerVersion server;
    private final String endpoint;

    PgSlotManager(Connection connection, ServerVersion server, String endpoint) {
        this.connection = connection;
        this.server = server.requireSupported();
        this.endpoint = endpoint;
    }

    /**
     * Opens a logical replication connection and reads the server version.
     *
     * @throws SQLException if the server cannot be reached or refuses the login
     */
    public static PgSlotManager open(PgConnectionConfig config) throws SQLException {
        // pgjdbc's connection class implements both PGConnection and Connection.
        Connection connection = (Connection) PgConnections.openLogicalReplication(config);
        try {
            return new PgSlotManager(connection, ServerVersion.of(connection), config.describe());
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection, e);
            throw e;
        }
    }

    public ServerVersion serverVersion() {
        return server;
    }

    @Override
    public CreatedSlot createLogical(LogicalSlotSpec spec) {
        if (spec.snapshot() == SnapshotAction.USE) {
            return createLogicalInSnapshot(spec, (c, slot) -> slot);
        }
        return create(spec.name(), SlotCommands.createLogical(spec, server), spec);
    }

    @Override
    public <T> T createLogicalInSnapshot(LogicalSlotSpec spec, SnapshotReader<T> reader) {
        if (spec.snapshot() != SnapshotAction.USE) {
            throw new IllegalArgumentException(
                    "Slot '"
                            + spec.name()
                            + "': reading in the new slot's snapshot needs SnapshotAction.USE, not "
                            + spec.snapshot());
        }
        String command = SlotCommands.createLogical(spec, server);
        execute(spec.name(), "begin the snapshot transaction for", BEGIN_SNAPSHOT_TRANSACTION);
        CreatedSlot slot;
        try {
            slot = create(spec.name(), command, spec);
        } catch (RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
        T result;
        try {
            result = reader.read(connection, slot);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            dropQuietly(slot.slotName(), e);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new SlotException(
                    slot.slotName(),
                    SlotException.Reason.FAILED,
                    "Reading in the snapshot of the new replication slot '"
                            + slot.slotName()
                            + "' failed, so the slot was dropped again: "
                            + e.getMessage(),
                    e);
        }
        execute(slot.slotName(), "end the snapshot transaction of", "COMMIT");
        return result;
    }

    @Override
    public CreatedSlot createPhysical(PhysicalSlotSpec spec) {
        return create(spec.name(), SlotCommands.createPhysical(spec, server), spec);
    }

    @Override
    public Optional<SlotInfo> describe(String slotName) {
        SlotName.validate(slotName);
        try {
            return SlotInfoQuery.find(connection, server, slotName);
        } catch (SQLException e) {
            throw SlotErrors.translate(slotName, "describe", endpoint, e);
        }
    }

    /**
     * Makes an existing logical slot a failover slot (PostgreSQL 17+), which standbys with {@code
     * sync_replication_slots} then copy.
     */
    public void enableFailover(String slotName) {
        execute(slotName, "make a failover slot of", SlotCommands.enableFailover(slotName, server));
        LOG.info("Replication slot '{}' on {} is a failover slot now", slotName, endpoint);
    }

    @Override
    public void drop(String slotName, boolean waitUntilInactive) {
        execute(slotName, "drop", SlotCommands.drop(slotName, waitUntilInactive));
        LOG.info("Dropped replication slot '{}' on {}", slotName, endpoint);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn(
                    "Closing the slot manager connection to {} failed: {}", endpoint, e.toString());
        }
    }

    /** Runs {@code command}; {@code spec} is only for the log line. */
    private CreatedSlot create(String name, String command, Record spec) {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(command)) {
            if (!rs.next()) {
                throw new SlotException(
                        name,
                        SlotException.Reason.FAILED,
                        "CREATE_REPLICATION_SLOT for '" + name + "' returned no row",
                        null);
            }
            String point = rs.getString("consistent_point");
            CreatedSlot slot =
                    new CreatedSlot(
                            rs.getString("slot_name"),
                            point == null ? Lsn.INVALID : Lsn.parse(point),
                            rs.getString("snapshot_name"),
                            rs.getString("output_plugin"));
            LOG.info(
                    "Created replication slot '{}' on {} at consistent point {}: {}",
                    name,
                    endpoint,
                    slot.consistentPoint(),
                    spec);
            return slot;
        } catch (SQLException e) {
            throw SlotErrors.translate(name, "create", endpoint, e);
        }
    }

    private void execute(String slotName, String action, String sql) {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw SlotErrors.translate(slotName, action, endpoint, e);
        }
    }

    private void rollbackQuietly(Exception failure) {
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private void dropQuietly(String slotName, Exception failure) {
        try {
            drop(slotName, false);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static void closeQuietly(Connection connection, Exception failure) {
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
