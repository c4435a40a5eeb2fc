package io.pgwalstream.flink.source.event;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceEvent;

/**
 * Reader to enumerator: a chunk could not be read because its exported snapshot is gone (the
 * enumerator that held it restarted, or its connection broke). Nothing of it was emitted; the
 * enumerator hands it out again under a new snapshot.
 */
@Internal
public record ChunkUnread(String splitId, String snapshotName) implements SourceEvent {}
