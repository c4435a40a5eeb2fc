package io.pgwalstream.snapshot;

import java.io.Serializable;

/**
 * How tables are chunked for the initial snapshot.
 *
 * @param chunkRows rows per chunk (about; a chunk is held in memory while it is emitted)
 * @param chunkKeyColumn the column every table is chunked by, or null for each table's first
 *     primary key (or replica identity index) column
 */
public record SnapshotSettings(int chunkRows, String chunkKeyColumn) implements Serializable {

    /** As postgres-cdc's {@code scan.incremental.snapshot.chunk.size}. */
    public static final int DEFAULT_CHUNK_ROWS = 8096;

    public static final SnapshotSettings DEFAULT = new SnapshotSettings(DEFAULT_CHUNK_ROWS, null);

    public SnapshotSettings {
        if (chunkRows < 1) {
            throw new IllegalArgumentException(
                    "The snapshot chunk size must be at least 1 row, not " + chunkRows);
        }
        if (chunkKeyColumn != null && chunkKeyColumn.isEmpty()) {
            throw new IllegalArgumentException("The snapshot chunk key column name is empty");
        }
    }
}
