package io.pgwalstream.flink.source.event;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceEvent;

import java.util.List;

/**
 * Reader to enumerator, once when the reader starts: the slot groups (stream split ids) it holds,
 * restored from a checkpoint. After a restore or a rescale only the readers know where their splits
 * went; the enumerator balances new assignments by it.
 */
@Internal
public record StreamSplitsHeld(List<String> splitIds) implements SourceEvent {

    public StreamSplitsHeld {
        splitIds = List.copyOf(splitIds);
    }
}
