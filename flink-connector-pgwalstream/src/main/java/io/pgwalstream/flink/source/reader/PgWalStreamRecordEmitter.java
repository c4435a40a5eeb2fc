package io.pgwalstream.flink.source.reader;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.ChangePosition;
import io.pgwalstream.changes.RelationSchema;
import io.pgwalstream.changes.TransactionInfo;
import io.pgwalstream.flink.source.ChangeEventDeserializer;
import io.pgwalstream.flink.source.split.PgWalStreamSourceSplitState;
import io.pgwalstream.flink.source.split.PgWalStreamSplitState;
import io.pgwalstream.flink.source.split.SnapshotChunkState;
import io.pgwalstream.protocol.PgTimestamps;
import io.pgwalstream.snapshot.SnapshotRows;

import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Emits through the user's deserializer and advances the split state. A streamed change gets its
 * commit time as the record timestamp and moves the last emitted position and the LSN that became
 * safe to confirm; a snapshot chunk is emitted whole, its rows without a timestamp (no transaction
 * wrote them at the snapshot), and then counts as emitted.
 */
final class PgWalStreamRecordEmitter<T>
        implements RecordEmitter<FetchedRecord, T, PgWalStreamSourceSplitState> {

    private final ChangeEventDeserializer<T> deserializer;
    private final SplitRegistry registry;
    private final Counter numRecordsIn;
    private final TimestampedCollector<T> collector = new TimestampedCollector<>();

    /**
     * @param numRecordsIn the reader's {@code numRecordsIn}, which Flink raises once per fetched
     *     element: a chunk counts as its rows
     */
    PgWalStreamRecordEmitter(
            ChangeEventDeserializer<T> deserializer, SplitRegistry registry, Counter numRecordsIn) {
        this.deserializer = deserializer;
        this.registry = registry;
        this.numRecordsIn = numRecordsIn;
    }

    @Override
    public void emitRecord(
            FetchedRecord record, SourceOutput<T> output, PgWalStreamSourceSplitState state)
            throws Exception {
        collector.output = output;
        if (record instanceof FetchedRecord.StreamedChange change) {
            emitChange(change.event(), (PgWalStreamSplitState) state);
        } else if (record instanceof FetchedRecord.ChunkRows chunk) {
            emitChunk(chunk, (SnapshotChunkState) state);
        } else {
            ((SnapshotChunkState) state).unread();
            numRecordsIn.dec();
        }
    }

    private void emitChange(ChangeEvent event, PgWalStreamSplitState state) throws Exception {
        collector.timestamp = PgTimestamps.toUnixMillis(event.transaction().commitTime());
        deserializer.deserialize(event, collector);
        state.emitted(event.position());
        SplitRegistry.Shared shared = registry.get(state.splitId());
        if (shared != null) {
            shared.progress().recordEmitted();
            state.confirmable(shared.progress().takeSafeLsn());
        }
    }

    private void emitChunk(FetchedRecord.ChunkRows chunk, SnapshotChunkState state)
            throws Exception {
        collector.timestamp = TimestampedCollector.NO_TIMESTAMP;
        RelationSchema schema = chunk.split().table().schema();
        long lsn = chunk.split().snapshotLsn().value();
        ChangePosition position = new ChangePosition(lsn, 0L, 0L);
        TransactionInfo transaction = TransactionInfo.snapshot(lsn);
        SnapshotRows rows = chunk.rows();
        for (int i = 0; i < rows.count(); i++) {
            deserializer.deserialize(
                    ChangeEvent.snapshotRow(position, transaction, schema, rows.row(i)), collector);
        }
        state.emitted(rows.count());
        numRecordsIn.inc(rows.count() - 1L);
    }

    private static final class TimestampedCollector<T> implements Collector<T> {
        static final long NO_TIMESTAMP = Long.MIN_VALUE;

        SourceOutput<T> output;
        long timestamp;

        @Override
        public void collect(T record) {
            if (timestamp == NO_TIMESTAMP) {
                output.collect(record);
            } else {
                output.collect(record, timestamp);
            }
        }

        @Override
        public void close() {}
    }
}
