package io.pgwalstream.e2e.jobs.sequence;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.core.io.InputStatus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceReaderTest {

    private final Collecting output = new Collecting();

    @Test
    void emitsItsSplitsRoundRobinAndEndsAfterNoMoreSplits() {
        SequenceReader<String> reader = unpaced();
        reader.addSplits(List.of(new SequenceSplit(0, 0, 2), new SequenceSplit(1, 0, 3)));
        reader.notifyNoMoreSplits();

        List<InputStatus> statuses = pollTimes(reader, 5);

        assertThat(output.records).containsExactly("0,0", "1,0", "0,1", "1,1", "1,2");
        assertThat(statuses.get(4)).isEqualTo(InputStatus.END_OF_INPUT);
        assertThat(reader.pollNext(output)).isEqualTo(InputStatus.END_OF_INPUT);
    }

    @Test
    void checkpointsTheNextElementOfEveryUnfinishedSplit() {
        SequenceReader<String> reader = unpaced();
        reader.addSplits(List.of(new SequenceSplit(0, 0, 1), new SequenceSplit(1, 0, 10)));
        pollTimes(reader, 3);

        assertThat(reader.snapshotState(1)).containsExactly(new SequenceSplit(1, 2, 10));
    }

    @Test
    void continuesARestoredSplitWhereItsCheckpointLeftIt() {
        SequenceReader<String> reader = unpaced();
        reader.addSplits(List.of(new SequenceSplit(4, 7, 9), new SequenceSplit(5, 3, 3)));
        reader.notifyNoMoreSplits();

        pollTimes(reader, 2);

        assertThat(output.records).containsExactly("4,7", "4,8");
    }

    @Test
    void waitsForSplitsUntilTheEnumeratorSaysThereAreNoMore() {
        SequenceReader<String> reader = unpaced();

        assertThat(reader.pollNext(output)).isEqualTo(InputStatus.NOTHING_AVAILABLE);
        assertThat(reader.isAvailable()).isNotDone();

        reader.addSplits(List.of(new SequenceSplit(0, 0, 1)));
        assertThat(reader.isAvailable()).isDone();
        assertThat(reader.pollNext(output)).isEqualTo(InputStatus.MORE_AVAILABLE);

        assertThat(reader.pollNext(output)).isEqualTo(InputStatus.NOTHING_AVAILABLE);
        reader.notifyNoMoreSplits();
        assertThat(reader.isAvailable()).isDone();
        assertThat(reader.pollNext(output)).isEqualTo(InputStatus.END_OF_INPUT);
    }

    @Test
    void pacesUntilTheReleaseFileExists(@TempDir Path dir) throws Exception {
        Path release = dir.resolve("release");
        SequenceReader<String> reader =
                new SequenceReader<>(SequenceRecordMapper.lines(), 1, release.toString());
        reader.addSplits(List.of(new SequenceSplit(0, 0, 100)));
        reader.notifyNoMoreSplits();

        assertThat(reader.pollNext(output)).isEqualTo(InputStatus.MORE_AVAILABLE);
        assertThat(reader.pollNext(output)).isEqualTo(InputStatus.NOTHING_AVAILABLE);
        assertThat(reader.isAvailable()).isNotDone();
        // One record per second: a timer completes the availability future.
        reader.isAvailable().get(5, TimeUnit.SECONDS);

        Files.writeString(release, "");
        int pauses = 0;
        InputStatus status;
        while ((status = reader.pollNext(output)) != InputStatus.END_OF_INPUT) {
            if (status == InputStatus.NOTHING_AVAILABLE) {
                pauses++;
                reader.isAvailable().get(5, TimeUnit.SECONDS);
            }
        }
        assertThat(output.records).hasSize(100);
        // The file is looked for every 100 ms: at most one more paced record after it appeared.
        assertThat(pauses).isLessThanOrEqualTo(1);
    }

    private static SequenceReader<String> unpaced() {
        return new SequenceReader<>(SequenceRecordMapper.lines(), 0, null);
    }

    private List<InputStatus> pollTimes(SequenceReader<String> reader, int times) {
        List<InputStatus> statuses = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            statuses.add(reader.pollNext(output));
        }
        return statuses;
    }

    /** Collects records; the reader uses nothing else of its output. */
    private static final class Collecting implements ReaderOutput<String> {
        final List<String> records = new ArrayList<>();

        @Override
        public void collect(String record) {
            records.add(record);
        }

        @Override
        public void collect(String record, long timestamp) {
            records.add(record);
        }

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        @Override
        public SourceOutput<String> createOutputForSplit(String splitId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }
}
