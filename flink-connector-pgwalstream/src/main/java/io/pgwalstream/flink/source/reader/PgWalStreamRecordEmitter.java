package io.pgwalstream.flink.source.reader;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.flink.source.ChangeEventDeserializer;
import io.pgwalstream.flink.source.split.PgWalStreamSplitState;
import io.pgwalstream.protocol.PgTimestamps;

import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.util.Collector;

/**
 * Emits a change through the user's deserializer with its commit time as the record timestamp, and
 * advances the split state: the last emitted position and the LSN that became safe to confirm.
 */
final class PgWalStreamRecordEmitter<T>
        implements RecordEmitter<ChangeEvent, T, PgWalStreamSplitState> {

    private final ChangeEventDeserializer<T> deserializer;
    private final SplitRegistry registry;
    private final TimestampedCollector<T> collector = new TimestampedCollector<>();

    PgWalStreamRecordEmitter(ChangeEventDeserializer<T> deserializer, SplitRegistry registry) {
        this.deserializer = deserializer;
        this.registry = registry;
    }

    @Override
    public void emitRecord(ChangeEvent event, SourceOutput<T> output, PgWalStreamSplitState state)
            throws Exception {
        collector.output = output;
        collector.timestamp = PgTimestamps.toUnixMillis(event.transaction().commitTime());
        deserializer.deserialize(event, collector);
        state.emitted(event.position());
        SplitRegistry.Shared shared = registry.get(state.splitId());
        if (shared != null) {
            shared.progress().recordEmitted();
            state.confirmable(shared.progress().takeSafeLsn());
        }
    }

    private static final class TimestampedCollector<T> implements Collector<T> {
        SourceOutput<T> output;
        long timestamp;

        @Override
        public void collect(T record) {
            output.collect(record, timestamp);
        }

        @Override
        public void close() {}
    }
}
