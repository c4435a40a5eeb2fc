package io.pgwalstream.snapshot;

import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.PgConnections;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * Reads chunks under an exported snapshot, one transaction per chunk ({@code REPEATABLE READ READ
 * ONLY}, {@code SET TRANSACTION SNAPSHOT}) on one connection kept for all of them. Not thread-safe.
 * No transaction stays open between chunks, so an idle reader holds nothing back.
 */
public final class ChunkReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkReader.class);

    /** What {@code pg_export_snapshot} returns: hex numbers joined by dashes. */
    private static final Pattern SNAPSHOT_NAME = Pattern.compile("[0-9A-Fa-f]+(-[0-9A-Fa-f]+)*");

    private final PgConnectionConfig config;
    private Connection connection;

    /** Size of the last chunk read, with a margin: the next one's buffer. */
    private long expectedBytes;

    public ChunkReader(PgConnectionConfig config) {
        this.config = config;
    }

    /**
     * @param snapshotName the exported snapshot every chunk of the table is read under
     * @throws SnapshotException with {@link SnapshotException.Reason#SNAPSHOT_LOST} if the snapshot
     *     is gone, {@link SnapshotException.Reason#NO_PERMISSION} if the role may not read the
     *     table
     */
    public SnapshotRows read(SnapshotTable table, SnapshotChunk chunk, String snapshotName) {
        if (!SNAPSHOT_NAME.matcher(snapshotName).matches()) {
            throw new IllegalArgumentException("Not an exported snapshot name: " + snapshotName);
        }
        String copy = ChunkQuery.copy(table, chunk);
        try {
            Connection c = connection();
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
                s.execute("SET TRANSACTION SNAPSHOT '" + snapshotName + "'");
                s.execute("SET LOCAL standard_conforming_strings = on");
            }
            CopyBinaryTuples tuples = new CopyBinaryTuples(table.columns().size(), expectedBytes);
            CopyOut out = ((PGConnection) c).getCopyAPI().copyOut(copy);
            try {
                byte[] message;
                while ((message = out.readFromCopy()) != null) {
                    tuples.accept(message);
                }
            } finally {
                if (out.isActive()) {
                    out.cancelCopy();
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("COMMIT");
            }
            SnapshotRows rows = tuples.finish();
            expectedBytes = rows.bytes() + rows.bytes() / 8;
            return rows;
        } catch (SQLException e) {
            abandonConnection(e);
            throw SnapshotException.translate(table.name(), "Reading chunk " + chunk + " of", e);
        } catch (IllegalArgumentException e) {
            abandonConnection(e);
            throw new SnapshotException(
                    table.name(),
                    SnapshotException.Reason.FAILED,
                    "COPY of chunk " + chunk + " returned malformed data: " + e.getMessage(),
                    e);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = PgConnections.openSql(config);
            connection.setAutoCommit(true);
        }
        return connection;
    }

    /** After a failure the session's state is unknown: start the next chunk on a new one. */
    private void abandonConnection(Exception cause) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("Closing the snapshot reader's connection failed", e);
            }
            connection = null;
        }
    }
}
