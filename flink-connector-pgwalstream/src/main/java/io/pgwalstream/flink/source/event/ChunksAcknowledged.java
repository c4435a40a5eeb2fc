package io.pgwalstream.flink.source.event;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceEvent;

import java.util.List;

/**
 * Enumerator to reader: a completed checkpoint records these chunks as done, so the reader no
 * longer needs to keep them in its state.
 */
@Internal
public record ChunksAcknowledged(List<String> splitIds) implements SourceEvent {

    public ChunksAcknowledged {
        splitIds = List.copyOf(splitIds);
    }
}
