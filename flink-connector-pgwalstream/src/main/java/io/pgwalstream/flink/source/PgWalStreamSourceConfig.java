package io.pgwalstream.flink.source;

import io.pgwalstream.changes.AssemblerSettings;
import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.StreamingMode;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.ReconnectPolicy;
import io.pgwalstream.replication.SessionSettings;
import io.pgwalstream.snapshot.SnapshotSettings;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the source needs, built by {@link PgWalStreamSourceBuilder}.
 *
 * @param protoVersion pgoutput protocol version, 0 = the server's highest
 * @param stopLsn bounded mode: stop at this LSN; {@link Lsn#INVALID} = unbounded unless {@code
 *     stopAtCurrentLsn}
 * @param failoverSlots create the slots the source creates with FAILOVER (PostgreSQL 17+), so that
 *     standbys with {@code sync_replication_slots} keep copies a promoted standby goes on from
 * @param stopAtCurrentLsn bounded mode: stop at the server's current LSN when the job starts
 * @param acceptRestoreGap start even when the slot confirmed past the restored position (the
 *     changes in between are lost; logged)
 * @param discoverySlotPrefix also read every pgoutput slot whose name starts with this prefix (each
 *     with the publication of the same name); null = only the listed groups
 * @param discoveryInterval how often an unbounded job looks for new such slots
 * @param session buffer bounds, timeouts and receive linger of each replication connection
 * @param serverPollInterval how often each reader asks the server for its WAL position and the WAL
 *     its slots retain (metrics); zero disables the query
 * @param snapshot how tables are chunked when the startup mode reads an initial snapshot
 */
@Internal
public record PgWalStreamSourceConfig(
        PgConnectionConfig connection,
        List<SlotGroup> groups,
        boolean createPublications,
        boolean createSlots,
        int protoVersion,
        StreamingMode streaming,
        boolean binary,
        boolean messages,
        boolean twoPhase,
        boolean failoverSlots,
        String origin,
        StartupMode startupMode,
        Lsn startLsn,
        Lsn stopLsn,
        boolean stopAtCurrentLsn,
        Duration statusInterval,
        ReconnectPolicy reconnectPolicy,
        SessionSettings session,
        long assemblerMemoryBytes,
        String spillDirectory,
        boolean acceptRestoreGap,
        Duration serverPollInterval,
        String discoverySlotPrefix,
        Duration discoveryInterval,
        SnapshotSettings snapshot)
        implements Serializable {

    public PgWalStreamSourceConfig {
        if (groups == null || (groups.isEmpty() && discoverySlotPrefix == null)) {
            throw new IllegalArgumentException(
                    "At least one slot group is required (or a slot prefix to discover groups by)");
        }
        groups = List.copyOf(groups);
        long distinct = groups.stream().map(SlotGroup::slotName).distinct().count();
        if (distinct != groups.size()) {
            throw new IllegalArgumentException("Two slot groups use the same slot: " + groups);
        }
        if (startupMode == StartupMode.SNAPSHOT && (stopLsn.isValid() || stopAtCurrentLsn)) {
            throw new IllegalArgumentException(
                    "Startup mode SNAPSHOT reads existing rows only; a stop position has no meaning"
                            + " with it. Use INITIAL to stream changes after the snapshot.");
        }
        if (snapshot == null) {
            throw new IllegalArgumentException("Snapshot settings are required");
        }
        if (startupMode == StartupMode.SPECIFIC_LSN && !startLsn.isValid()) {
            throw new IllegalArgumentException(
                    "Startup mode SPECIFIC_LSN needs a start LSN (e.g. 0/16B3748)");
        }
    }

    public boolean discovers() {
        return discoverySlotPrefix != null;
    }

    public boolean bounded() {
        return stopLsn.isValid() || stopAtCurrentLsn || startupMode == StartupMode.SNAPSHOT;
    }

    public SessionSettings sessionSettings() {
        return session;
    }

    public AssemblerSettings assemblerSettings() {
        return new AssemblerSettings(
                assemblerMemoryBytes,
                Path.of(
                        spillDirectory != null
                                ? spillDirectory
                                : System.getProperty("java.io.tmpdir")));
    }
}
