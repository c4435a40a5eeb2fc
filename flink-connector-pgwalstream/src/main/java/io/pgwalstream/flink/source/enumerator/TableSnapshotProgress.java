package io.pgwalstream.flink.source.enumerator;

/**
 * How far the initial snapshot of one table is.
 *
 * @param chunks the table's chunks
 * @param emitted those whose rows the readers emitted
 * @param rows the rows of the emitted chunks
 */
record TableSnapshotProgress(long chunks, long emitted, long rows) {

    static final TableSnapshotProgress NONE = new TableSnapshotProgress(0, 0, 0);

    TableSnapshotProgress plus(TableSnapshotProgress other) {
        return new TableSnapshotProgress(
                chunks + other.chunks, emitted + other.emitted, rows + other.rows);
    }

    long remaining() {
        return chunks - emitted;
    }
}
