package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.flink.source.PgWalStreamSourceConfig;
import io.pgwalstream.flink.source.StartupMode;
import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.protocol.StreamingMode;
import io.pgwalstream.replication.LogicalSlotSpec;
import io.pgwalstream.replication.PgConnections;
import io.pgwalstream.replication.PgPublicationManager;
import io.pgwalstream.replication.PgSlotManager;
import io.pgwalstream.replication.ReplicationFeature;
import io.pgwalstream.replication.ReplicationRole;
import io.pgwalstream.replication.ServerVersion;
import io.pgwalstream.replication.SlotInfo;
import io.pgwalstream.replication.SlotInvalidatedException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Makes slot groups ready on the server (publications and slots checked, created when allowed) and
 * turns them into fresh splits with the decoding options fixed: the protocol version is chosen from
 * the server here, once, so a restored job decodes exactly as before.
 */
final class SlotGroupPreparer {

    private static final Logger LOG = LoggerFactory.getLogger(SlotGroupPreparer.class);

    private final PgWalStreamSourceConfig config;

    SlotGroupPreparer(PgWalStreamSourceConfig config) {
        this.config = config;
    }

    List<PgWalStreamSplit> prepare(Collection<SlotGroup> groups) throws SQLException {
        try (Connection sql = PgConnections.openSql(config.connection())) {
            // Asked over SQL first: a role without REPLICATION gets the ALTER ROLE to run (the
            // SQL factory checked the same at planning; the DataStream API finds out here).
            ReplicationRole.require(sql);
            try (PgSlotManager slots = PgSlotManager.open(config.connection())) {
                return prepare(groups, slots, sql);
            }
        }
    }

    private List<PgWalStreamSplit> prepare(
            Collection<SlotGroup> groups, PgSlotManager slots, Connection sql) throws SQLException {
        ServerVersion server = slots.serverVersion().requireSupported();
        PgOutputOptions options = options(server);
        PgPublicationManager publications = PgPublicationManager.on(sql);
        Lsn current = currentLsn(sql);
        Lsn start =
                switch (config.startupMode()) {
                    case SPECIFIC_LSN -> config.startLsn();
                    case LATEST -> current;
                    // A snapshot decides the start once it is taken.
                    case COMMITTED, INITIAL, SNAPSHOT -> Lsn.INVALID;
                };
        Lsn stop = config.stopAtCurrentLsn() ? current : config.stopLsn();
        List<PgWalStreamSplit> splits = new ArrayList<>();
        for (SlotGroup group : groups) {
            if (!group.tables().isEmpty()) {
                publications.ensure(
                        group.publication(), group.tables(), config.createPublications());
            } else if (publications.describe(group.publication()).isEmpty()) {
                if (!config.createPublications()) {
                    throw new IllegalStateException(
                            "Publication '"
                                    + group.publication()
                                    + "' of slot group "
                                    + group.id()
                                    + " does not exist; create it, or name the group's tables"
                                    + " and let the source create publications");
                }
                publications.createEmpty(group.publication());
            }
            if (config.startupMode() != StartupMode.SNAPSHOT) {
                // A bounded snapshot streams nothing: it needs no permanent slot.
                ensureSlot(slots, group, server);
            }
            splits.add(PgWalStreamSplit.fresh(group, options, config.origin(), start, stop));
        }
        LOG.info(
                "Prepared {} slot group(s) on {} (PostgreSQL {}, pgoutput v{}, start {}, {})",
                splits.size(),
                config.connection().describe(),
                server,
                options.protoVersion(),
                switch (config.startupMode()) {
                    case COMMITTED -> "slot position";
                    case INITIAL -> "initial snapshot, then its LSN";
                    case SNAPSHOT -> "initial snapshot only";
                    default -> start.toString();
                },
                config.startupMode() == StartupMode.SNAPSHOT
                        ? "bounded: finishes after the snapshot"
                        : stop.isValid() ? "bounded at " + stop : "unbounded");
        return splits;
    }

    private PgOutputOptions options(ServerVersion server) {
        int proto = config.protoVersion() > 0 ? config.protoVersion() : server.maxProtoVersion();
        if (proto > server.maxProtoVersion()) {
            throw new IllegalArgumentException(
                    "pgoutput protocol version "
                            + proto
                            + " was asked for, but PostgreSQL "
                            + server
                            + " speaks version "
                            + server.maxProtoVersion()
                            + " at most. Ask for "
                            + server.maxProtoVersion()
                            + " or lower, or for 0 (the server's highest).");
        }
        if (config.streaming() == StreamingMode.PARALLEL) {
            server.require(ReplicationFeature.PARALLEL_STREAMING);
        }
        if (config.twoPhase()) {
            server.require(ReplicationFeature.TWO_PHASE);
        }
        if (config.origin() != null) {
            server.require(ReplicationFeature.ORIGIN_FILTER);
        }
        return new PgOutputOptions(
                proto, config.streaming(), config.binary(), config.messages(), config.twoPhase());
    }

    private void ensureSlot(PgSlotManager slots, SlotGroup group, ServerVersion server) {
        Optional<SlotInfo> existing = slots.describe(group.slotName());
        if (existing.isEmpty()) {
            if (!config.createSlots()) {
                throw new IllegalStateException(
                        "Replication slot '"
                                + group.slotName()
                                + "' does not exist on "
                                + config.connection().describe()
                                + ". Create it with SELECT pg_create_logical_replication_slot('"
                                + group.slotName()
                                + "', 'pgoutput') or let the source create it.");
            }
            slots.createLogical(
                    LogicalSlotSpec.of(group.slotName())
                            .withTwoPhase(config.twoPhase())
                            .withFailover(config.failoverSlots()));
            return;
        }
        SlotInfo slot = existing.get();
        if (!"pgoutput".equals(slot.plugin())) {
            throw new IllegalStateException(
                    "Replication slot '"
                            + slot.name()
                            + "' uses the output plugin '"
                            + slot.plugin()
                            + "'; pg-walstream needs a pgoutput slot. Use another slot name.");
        }
        if (!config.connection().database().equals(slot.database())) {
            throw new IllegalStateException(
                    "Replication slot '"
                            + slot.name()
                            + "' belongs to database '"
                            + slot.database()
                            + "', not '"
                            + config.connection().database()
                            + "'");
        }
        if (slot.invalidated()) {
            throw SlotInvalidatedException.of(slot, null);
        }
        if (config.failoverSlots() && !slot.failover()) {
            slots.enableFailover(slot.name());
        }
        if (config.twoPhase() && !slot.twoPhase()) {
            LOG.warn(
                    "Slot '{}' was created without two-phase; asking for two_phase switches it"
                            + " to two-phase permanently",
                    slot.name());
        }
    }

    private static Lsn currentLsn(Connection sql) throws SQLException {
        try (Statement s = sql.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        }
    }
}
