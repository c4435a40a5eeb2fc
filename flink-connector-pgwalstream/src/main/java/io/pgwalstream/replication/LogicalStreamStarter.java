package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Starts pgoutput streaming from a logical slot, creating a temporary slot first if asked. */
final class LogicalStreamStarter implements StreamStarter {

    private static final Logger LOG = LoggerFactory.getLogger(LogicalStreamStarter.class);

    private final LogicalStreamSpec spec;
    private boolean temporarySlotCreated;
    private final FailoverCheck failover = new FailoverCheck();

    LogicalStreamStarter(LogicalStreamSpec spec) {
        this.spec = spec;
    }

    @Override
    public String slotName() {
        return spec.slotName();
    }

    @Override
    public String description() {
        return "slot '" + spec.slotName() + "'";
    }

    @Override
    public PGConnection connect(PgConnectionConfig config, Duration readLinger)
            throws SQLException {
        return PgConnections.openLogicalReplication(config, readLinger);
    }

    @Override
    public Started start(
            PGConnection connection, ServerVersion server, Lsn resumeFrom, boolean reconnecting)
            throws SQLException {
        failover.check((Connection) connection, spec.slotName(), resumeFrom);
        createTemporarySlotIfAsked((Connection) connection, server);
        // The server never starts before the slot's confirmed position, whatever we ask.
        Lsn start = Lsn.max(spec.startLsn(), resumeFrom);
        return new Started(
                connection
                        .getCopyAPI()
                        .copyDual(StartReplicationCommand.logical(spec, start, server)),
                start,
                0,
                Lsn.INVALID);
    }

    private void createTemporarySlotIfAsked(Connection connection, ServerVersion server)
            throws SQLException {
        LogicalSlotSpec slot = spec.temporarySlot();
        if (slot == null) {
            return;
        }
        if (temporarySlotCreated && !spec.recreateLostTemporarySlot()) {
            throw new ReplicationException(
                    "The temporary slot '"
                            + slot.name()
                            + "' was dropped by the server when the connection was lost, with the"
                            + " position it held. Re-creating it would silently skip the changes"
                            + " made meanwhile. Use a permanent slot, or allow re-creating a lost"
                            + " temporary slot if that gap is acceptable.",
                    null);
        }
        if (temporarySlotCreated) {
            LOG.warn(
                    "Re-creating the lost temporary slot '{}': changes made while it was gone are"
                            + " skipped, as allowed by configuration",
                    slot.name());
        }
        try (Statement s = connection.createStatement()) {
            s.execute(SlotCommands.createLogical(slot, server));
        }
        temporarySlotCreated = true;
        LOG.info("Created temporary slot '{}'", slot.name());
    }
}
