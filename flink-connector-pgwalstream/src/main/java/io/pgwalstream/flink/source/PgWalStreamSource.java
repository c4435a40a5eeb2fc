package io.pgwalstream.flink.source;

import io.pgwalstream.flink.source.enumerator.PgWalStreamEnumState;
import io.pgwalstream.flink.source.enumerator.PgWalStreamEnumStateSerializer;
import io.pgwalstream.flink.source.enumerator.PgWalStreamEnumerator;
import io.pgwalstream.flink.source.reader.PgWalStreamSourceReader;
import io.pgwalstream.flink.source.split.PgWalStreamSourceSplit;
import io.pgwalstream.flink.source.split.PgWalStreamSplitSerializer;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A FLIP-27 source streaming PostgreSQL logical replication (pgoutput). Each slot group — a
 * replication slot with its publication and tables — is one split, read by one reader at a time.
 * Changes are emitted in commit order per group, exactly once: the LSN confirmed to PostgreSQL is
 * the one recorded in a checkpoint, and only after that checkpoint completes.
 *
 * <p>Build one with {@link #builder()}.
 */
@PublicEvolving
public final class PgWalStreamSource<T>
        implements Source<T, PgWalStreamSourceSplit, PgWalStreamEnumState>, ResultTypeQueryable<T> {

    private final PgWalStreamSourceConfig config;
    private final ChangeEventDeserializer<T> deserializer;

    PgWalStreamSource(PgWalStreamSourceConfig config, ChangeEventDeserializer<T> deserializer) {
        this.config = config;
        this.deserializer = deserializer;
    }

    public static <T> PgWalStreamSourceBuilder<T> builder() {
        return new PgWalStreamSourceBuilder<>();
    }

    public PgWalStreamSourceConfig config() {
        return config;
    }

    @Override
    public Boundedness getBoundedness() {
        return config.bounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<T, PgWalStreamSourceSplit> createReader(SourceReaderContext context) {
        return PgWalStreamSourceReader.create(config, deserializer, context);
    }

    @Override
    public SplitEnumerator<PgWalStreamSourceSplit, PgWalStreamEnumState> createEnumerator(
            SplitEnumeratorContext<PgWalStreamSourceSplit> context) {
        return new PgWalStreamEnumerator(config, context, PgWalStreamEnumState.empty());
    }

    @Override
    public SplitEnumerator<PgWalStreamSourceSplit, PgWalStreamEnumState> restoreEnumerator(
            SplitEnumeratorContext<PgWalStreamSourceSplit> context, PgWalStreamEnumState state) {
        return new PgWalStreamEnumerator(config, context, state);
    }

    @Override
    public SimpleVersionedSerializer<PgWalStreamSourceSplit> getSplitSerializer() {
        return new PgWalStreamSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<PgWalStreamEnumState> getEnumeratorCheckpointSerializer() {
        return new PgWalStreamEnumStateSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return deserializer.getProducedType();
    }
}
