package io.pgwalstream.flink.source.event;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceEvent;

/**
 * Reader to enumerator: every row of a snapshot chunk was emitted. Sent again after a restore for
 * chunks not yet acknowledged, so the enumerator may see it twice.
 *
 * @param rows rows the chunk held; -1 when re-sent from restored state (not known then)
 */
@Internal
public record ChunkEmitted(String splitId, long rows) implements SourceEvent {}
