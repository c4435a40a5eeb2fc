package io.pgwalstream.snapshot;

import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.replication.SqlIdentifier;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Splits a table into chunks of about {@code chunkRows} rows, fewer when its rows are so wide that
 * a chunk would hold more than about {@code chunkBytes} bytes (estimated from a sample of its
 * rows). Bounds are values PostgreSQL returned for the key, compared by PostgreSQL: a text key is
 * ordered by its collation, as its index is.
 *
 * <ul>
 *   <li>A unique integer key over a dense range gets bounds by arithmetic ({@code min + i·n}): a
 *       range of n integers holds at most n rows, and no row is read to plan.
 *   <li>Any other key is walked through its index: each bound is the row {@code chunkRows} past the
 *       previous one.
 *   <li>A table without a usable key is split in block ranges of its current size.
 * </ul>
 *
 * Run it inside the snapshot's transaction, so the bounds describe the rows the chunks will read.
 */
public final class ChunkPlanner {

    /** Arithmetic bounds are used while they make at most this many times the ideal chunk count. */
    private static final long SPARSENESS_LIMIT = 4;

    /** Rows per 8 KiB block assumed for a table never analyzed. */
    private static final long DEFAULT_ROWS_PER_BLOCK = 50;

    /** Rows whose width is sampled to bound a chunk's bytes. */
    private static final int WIDTH_SAMPLE_ROWS = 1000;

    private final int maxChunkRows;
    private final long chunkBytes;

    public ChunkPlanner(SnapshotSettings settings) {
        this.maxChunkRows = settings.chunkRows();
        this.chunkBytes = settings.chunkBytes();
    }

    public List<SnapshotChunk> plan(Connection c, SnapshotTable table) {
        try {
            int chunkRows = chunkRows(c, table);
            List<String> bounds;
            if (table.chunkKey().isPhysical()) {
                bounds = blockBounds(c, table, chunkRows);
            } else {
                bounds =
                        table.chunkKey().isInteger() && table.chunkKey().unique()
                                ? arithmeticBounds(c, table, chunkRows)
                                : null;
                if (bounds == null) {
                    bounds = walkedBounds(c, table, chunkRows);
                }
            }
            List<SnapshotChunk> chunks = new ArrayList<>(bounds.size() + 1);
            int count = bounds.size() + 1;
            for (int i = 0; i < count; i++) {
                chunks.add(
                        new SnapshotChunk(
                                table.name(),
                                i,
                                count,
                                i == 0 ? null : bounds.get(i - 1),
                                i == count - 1 ? null : bounds.get(i)));
            }
            return chunks;
        } catch (SQLException e) {
            throw SnapshotException.translate(table.name(), "Planning the chunks of", e);
        }
    }

    /**
     * The configured rows per chunk, or fewer so that a chunk of rows as wide as the sample's
     * average (their text form, about the size of the binary one) stays within the bytes.
     */
    int chunkRows(Connection c, SnapshotTable table) throws SQLException {
        String columns =
                table.columns().stream()
                        .map(RelationColumn::name)
                        .map(SqlIdentifier::quote)
                        .collect(Collectors.joining(", "));
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT coalesce(avg(octet_length(r::text)), 0)::int8 FROM (SELECT "
                                + columns
                                + " FROM "
                                + table.name().quoted()
                                + " LIMIT "
                                + WIDTH_SAMPLE_ROWS
                                + ") r")) {
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long width = Math.max(1, rs.getLong(1));
                return (int) Math.max(1, Math.min(maxChunkRows, chunkBytes / width));
            }
        }
    }

    /** Null when the key range is too sparse for arithmetic bounds. */
    private List<String> arithmeticBounds(Connection c, SnapshotTable table, int chunkRows)
            throws SQLException {
        String key = table.chunkKey().sql();
        long min;
        long max;
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT min("
                                + key
                                + ")::int8, max("
                                + key
                                + ")::int8 FROM "
                                + table.name().quoted())) {
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                min = rs.getLong(1);
                if (rs.wasNull()) {
                    return List.of(); // empty table: one open chunk
                }
                max = rs.getLong(2);
            }
        }
        long estimatedRows = Math.max(estimatedRows(c, table), 1);
        double span = (double) max - (double) min + 1;
        double idealChunks = Math.ceil((double) estimatedRows / chunkRows);
        if (span / chunkRows > SPARSENESS_LIMIT * Math.max(idealChunks, 1)) {
            return null;
        }
        List<String> bounds = new ArrayList<>();
        for (long b = min + chunkRows; b <= max && b > min; b += chunkRows) {
            bounds.add(Long.toString(b));
        }
        return bounds;
    }

    private List<String> walkedBounds(Connection c, SnapshotTable table, int chunkRows)
            throws SQLException {
        String key = table.chunkKey().sql();
        String type = table.chunkKey().sqlType();
        String from = " FROM " + table.name().quoted();
        String first =
                "SELECT "
                        + key
                        + "::text AS bound, true"
                        + from
                        + " ORDER BY "
                        + key
                        + " OFFSET ? LIMIT 1";
        String next =
                "SELECT k::text, k > ?::"
                        + type
                        + " FROM (SELECT "
                        + key
                        + " AS k"
                        + from
                        + " WHERE "
                        + key
                        + " >= ?::"
                        + type
                        + " ORDER BY "
                        + key
                        + " OFFSET ? LIMIT 1) s";
        String after = "SELECT min(" + key + ")::text" + from + " WHERE " + key + " > ?::" + type;
        List<String> bounds = new ArrayList<>();
        try (PreparedStatement firstBound = c.prepareStatement(first);
                PreparedStatement nextBound = c.prepareStatement(next);
                PreparedStatement afterBound = c.prepareStatement(after)) {
            firstBound.setLong(1, chunkRows);
            String bound = single(firstBound);
            while (bound != null) {
                bounds.add(bound);
                nextBound.setObject(1, bound, Types.OTHER);
                nextBound.setObject(2, bound, Types.OTHER);
                nextBound.setLong(3, chunkRows);
                String candidate = null;
                try (ResultSet rs = nextBound.executeQuery()) {
                    if (rs.next()) {
                        candidate = rs.getBoolean(2) ? rs.getString(1) : null;
                        if (candidate == null) {
                            // More than chunkRows rows share the bound: the chunk takes them all.
                            afterBound.setObject(1, bound, Types.OTHER);
                            candidate = single(afterBound);
                        }
                    }
                }
                bound = candidate;
            }
        }
        return bounds;
    }

    private static String single(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private List<String> blockBounds(Connection c, SnapshotTable table, int chunkRows)
            throws SQLException {
        long blocks;
        long rowsPerBlock;
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT pg_relation_size(?::oid) / current_setting('block_size')::int8,"
                                + " reltuples::int8, relpages FROM pg_class WHERE oid = ?::oid")) {
            s.setLong(1, Integer.toUnsignedLong(table.relationOid()));
            s.setLong(2, Integer.toUnsignedLong(table.relationOid()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                blocks = rs.getLong(1);
                long tuples = rs.getLong(2);
                long pages = rs.getLong(3);
                rowsPerBlock =
                        tuples > 0 && pages > 0
                                ? Math.max(1, tuples / pages)
                                : DEFAULT_ROWS_PER_BLOCK;
            }
        }
        long blocksPerChunk = Math.max(1, chunkRows / rowsPerBlock);
        List<String> bounds = new ArrayList<>();
        // The last chunk is open: it also holds rows in blocks added since the size was read.
        for (long b = blocksPerChunk; b < blocks; b += blocksPerChunk) {
            bounds.add("(" + b + ",0)");
        }
        return bounds;
    }

    private static long estimatedRows(Connection c, SnapshotTable table) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT reltuples::int8 FROM pg_class WHERE oid = ?::oid")) {
            s.setLong(1, Integer.toUnsignedLong(table.relationOid()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
