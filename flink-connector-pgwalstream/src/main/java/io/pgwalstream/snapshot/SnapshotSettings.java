package io.pgwalstream.snapshot;

import java.io.Serializable;

/**
 * How tables are chunked and read for the initial snapshot.
 *
 * @param chunkRows rows per chunk (about; a chunk is held in memory while it is emitted)
 * @param chunkKeyColumn the column every table is chunked by, or null for each table's first
 *     primary key (or replica identity index) column
 * @param chunkBytes bytes per chunk (about): a table of wide rows gets fewer rows per chunk, from
 *     the average width of a sample of its rows, so that a chunk held in memory stays near this
 * @param readers how many readers read chunks at a time (0: all of them); fewer spare the server
 *     while the job runs at a higher parallelism
 * @param tableMetrics whether the snapshot's progress is also reported per table (four gauges per
 *     table: off for jobs over hundreds of tables)
 */
public record SnapshotSettings(
        int chunkRows, String chunkKeyColumn, long chunkBytes, int readers, boolean tableMetrics)
        implements Serializable {

    /** As postgres-cdc's {@code scan.incremental.snapshot.chunk.size}. */
    public static final int DEFAULT_CHUNK_ROWS = 8096;

    public static final long DEFAULT_CHUNK_BYTES = 64L * 1024 * 1024;

    public static final SnapshotSettings DEFAULT =
            new SnapshotSettings(DEFAULT_CHUNK_ROWS, null, DEFAULT_CHUNK_BYTES, 0, true);

    public SnapshotSettings {
        if (chunkRows < 1) {
            throw new IllegalArgumentException(
                    "The snapshot chunk size must be at least 1 row, not " + chunkRows);
        }
        if (chunkKeyColumn != null && chunkKeyColumn.isEmpty()) {
            throw new IllegalArgumentException("The snapshot chunk key column name is empty");
        }
        if (chunkBytes < 1024) {
            throw new IllegalArgumentException(
                    "The snapshot chunk bytes must be at least 1024, not " + chunkBytes);
        }
        if (readers < 0) {
            throw new IllegalArgumentException(
                    "The snapshot reader count must be 0 (all readers) or more, not " + readers);
        }
    }

    /** The same settings with other chunks. */
    public SnapshotSettings withChunks(int rows, String keyColumn) {
        return new SnapshotSettings(rows, keyColumn, chunkBytes, readers, tableMetrics);
    }

    /** The same settings with another bound on a chunk's bytes. */
    public SnapshotSettings withChunkBytes(long bytes) {
        return new SnapshotSettings(chunkRows, chunkKeyColumn, bytes, readers, tableMetrics);
    }

    /** The same settings with another reader count (0: all). */
    public SnapshotSettings withReaders(int count) {
        return new SnapshotSettings(chunkRows, chunkKeyColumn, chunkBytes, count, tableMetrics);
    }

    /** The same settings with or without the per-table snapshot gauges. */
    public SnapshotSettings withTableMetrics(boolean value) {
        return new SnapshotSettings(chunkRows, chunkKeyColumn, chunkBytes, readers, value);
    }

    /** Whether the reader of subtask {@code subtask} reads chunks. */
    public boolean readsChunks(int subtask) {
        return readers == 0 || subtask < readers;
    }
}
