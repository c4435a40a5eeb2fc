package io.pgwalstream.e2e.jobs.sequence;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded FLIP-27 source of {@code splits} deterministic sequences {@code 0 .. recordsPerSplit-1}
 * whose positions are checkpointed, so that a job reading it and writing through an exactly-once
 * sink produces every element exactly once, whatever fails and restarts in between.
 *
 * <p>It can be paced ({@code recordsPerSecond} per split) to give a test time to break things while
 * the job runs; pacing stops once {@code releaseFile} exists, so the test decides when the job may
 * finish. Uses only the Source API common to Flink 1.20 and 2.x (no flink-connector-base).
 */
public final class SequenceSource<T>
        implements Source<T, SequenceSplit, SequenceEnumeratorState>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final int splits;
    private final long recordsPerSplit;
    private final int recordsPerSecond;
    private final String releaseFile;
    private final SequenceRecordMapper<T> mapper;
    private final TypeInformation<T> type;

    public SequenceSource(
            int splits,
            long recordsPerSplit,
            int recordsPerSecond,
            String releaseFile,
            SequenceRecordMapper<T> mapper,
            TypeInformation<T> type) {
        if (splits < 1 || recordsPerSplit < 0 || recordsPerSecond < 0) {
            throw new IllegalArgumentException(
                    "Need splits >= 1, records per split >= 0 and records per second >= 0");
        }
        this.splits = splits;
        this.recordsPerSplit = recordsPerSplit;
        this.recordsPerSecond = recordsPerSecond;
        this.releaseFile = releaseFile;
        this.mapper = mapper;
        this.type = type;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<T, SequenceSplit> createReader(SourceReaderContext readerContext) {
        return new SequenceReader<>(mapper, recordsPerSecond, releaseFile);
    }

    @Override
    public SplitEnumerator<SequenceSplit, SequenceEnumeratorState> createEnumerator(
            SplitEnumeratorContext<SequenceSplit> enumContext) {
        List<SequenceSplit> all = new ArrayList<>(splits);
        for (int i = 0; i < splits; i++) {
            all.add(new SequenceSplit(i, 0, recordsPerSplit));
        }
        return new SequenceEnumerator(enumContext, all);
    }

    @Override
    public SplitEnumerator<SequenceSplit, SequenceEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<SequenceSplit> enumContext, SequenceEnumeratorState checkpoint) {
        return new SequenceEnumerator(enumContext, checkpoint.unassigned());
    }

    @Override
    public SimpleVersionedSerializer<SequenceSplit> getSplitSerializer() {
        return new SequenceSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<SequenceEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new SequenceEnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }
}
