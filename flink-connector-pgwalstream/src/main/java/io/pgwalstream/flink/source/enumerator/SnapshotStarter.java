package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.flink.source.PgWalStreamSourceConfig;
import io.pgwalstream.flink.source.StartupMode;
import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.flink.source.split.SnapshotChunkSplit;
import io.pgwalstream.replication.CreatedSlot;
import io.pgwalstream.replication.LogicalSlotSpec;
import io.pgwalstream.replication.PgConnections;
import io.pgwalstream.replication.PgSlotManager;
import io.pgwalstream.replication.SnapshotAction;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.snapshot.ChunkPlanner;
import io.pgwalstream.snapshot.SnapshotCatalog;
import io.pgwalstream.snapshot.SnapshotChunk;
import io.pgwalstream.snapshot.SnapshotTable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Takes a slot group's initial snapshot: exports one from a new TEMPORARY slot (its consistent
 * point is where the group's stream will start), and inside it reads the tables' catalog facts and
 * plans their chunks. Runs off the coordinator thread.
 *
 * <p>It keeps every export it opened until that is closed: an enumerator closed (job cancelled or
 * failed over) while an export is being made, or before the coordinator thread took it, would
 * otherwise leave the exporting connection open — and its snapshot holding back vacuum.
 */
final class SnapshotStarter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStarter.class);
    private static final int MAX_SLOT_NAME = 63;

    private final PgWalStreamSourceConfig config;
    private final Set<SnapshotExport> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    SnapshotStarter(PgWalStreamSourceConfig config) {
        this.config = config;
    }

    /**
     * @param stream the group's fresh stream split
     */
    GroupSnapshot start(PgWalStreamSplit stream) throws SQLException {
        SlotGroup group = stream.group();
        long started = System.currentTimeMillis();
        SnapshotExport export = export(group);
        try {
            CreatedSlot slot = export.slot();
            List<SnapshotChunkSplit> chunks = plan(group, slot);
            LOG.info(
                    "Initial snapshot of slot group {}: {} chunk(s) of about {} rows over {}"
                            + " table(s), planned in {} ms",
                    group.id(),
                    chunks.size(),
                    config.snapshot().chunkRows(),
                    chunks.stream().map(c -> c.table().name()).distinct().count(),
                    System.currentTimeMillis() - started);
            return GroupSnapshot.started(
                    group,
                    config.startupMode() == StartupMode.INITIAL ? stream : null,
                    started,
                    chunks,
                    export);
        } catch (SQLException | RuntimeException e) {
            export.close();
            throw e;
        }
    }

    /**
     * A new exported snapshot for {@code group}'s chunks: a TEMPORARY slot created on a connection
     * that stays open (and idle) until the export is closed.
     */
    SnapshotExport export(SlotGroup group) throws SQLException {
        PgSlotManager exporter = PgSlotManager.open(config.connection());
        try {
            CreatedSlot slot =
                    exporter.createLogical(
                            LogicalSlotSpec.of(temporarySlotName(group.slotName()))
                                    .withTemporary(true)
                                    .withSnapshot(SnapshotAction.EXPORT));
            LOG.info(
                    "Exported snapshot {} at {} for slot group {} (temporary slot '{}')",
                    slot.snapshotName(),
                    slot.consistentPoint(),
                    group.id(),
                    slot.slotName());
            SnapshotExport export = new SnapshotExport(exporter, slot, open::remove);
            open.add(export);
            if (closed) {
                export.close();
                throw new IllegalStateException(
                        "The source closed while its snapshot was being exported");
            }
            return export;
        } catch (RuntimeException e) {
            exporter.close();
            throw e;
        }
    }

    /** Ends every export still open, also those no snapshot has taken over yet. */
    @Override
    public void close() {
        closed = true;
        for (SnapshotExport export : List.copyOf(open)) {
            export.close();
        }
    }

    private List<SnapshotChunkSplit> plan(SlotGroup group, CreatedSlot slot) throws SQLException {
        ChunkPlanner planner = new ChunkPlanner(config.snapshot());
        List<SnapshotChunkSplit> chunks = new ArrayList<>();
        try (Connection sql = PgConnections.openSql(config.connection());
                Statement s = sql.createStatement()) {
            sql.setAutoCommit(true);
            s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            s.execute("SET TRANSACTION SNAPSHOT '" + slot.snapshotName() + "'");
            List<TableName> tables =
                    group.tables().isEmpty()
                            ? SnapshotCatalog.publishedTables(sql, group.publication())
                            : group.tables();
            for (TableName name : tables) {
                SnapshotTable table =
                        SnapshotCatalog.read(
                                sql, name, group.publication(), config.snapshot().chunkKeyColumn());
                SnapshotCatalog.requireSelect(sql, table);
                if (config.startupMode() == StartupMode.INITIAL) {
                    SnapshotCatalog.requireRowIdentity(sql, table, group.publication());
                }
                for (SnapshotChunk chunk : planner.plan(sql, table)) {
                    chunks.add(
                            new SnapshotChunkSplit(
                                    group.id(),
                                    table,
                                    chunk,
                                    slot.snapshotName(),
                                    slot.consistentPoint(),
                                    false));
                }
            }
            s.execute("COMMIT");
        }
        return chunks;
    }

    /** {@code <slot>_snap_<8 hex>}, shortened to PostgreSQL's 63-byte limit. */
    static String temporarySlotName(String slotName) {
        String suffix = String.format("_snap_%08x", ThreadLocalRandom.current().nextInt());
        String prefix =
                slotName.length() + suffix.length() > MAX_SLOT_NAME
                        ? slotName.substring(0, MAX_SLOT_NAME - suffix.length())
                        : slotName;
        return prefix + suffix;
    }
}
