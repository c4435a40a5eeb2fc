package io.pgwalstream.flink.source.reader;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.flink.source.split.SnapshotChunkSplit;
import io.pgwalstream.snapshot.SnapshotRows;

/** What the fetcher thread hands to the record emitter: a streamed change, or a whole chunk. */
sealed interface FetchedRecord {

    /** One change of a slot group's stream. */
    record StreamedChange(ChangeEvent event) implements FetchedRecord {}

    /** Every row of a snapshot chunk, emitted in one call so no checkpoint falls inside it. */
    record ChunkRows(SnapshotChunkSplit split, SnapshotRows rows) implements FetchedRecord {}

    /** A chunk whose exported snapshot is gone: nothing to emit, the enumerator must know. */
    record ChunkUnread(SnapshotChunkSplit split) implements FetchedRecord {}
}
