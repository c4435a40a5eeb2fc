package io.pgwalstream.e2e.jobs.sequence;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Emits its splits' sequences round-robin, optionally paced, and checkpoints each split's next
 * element. All methods run on the task's main thread; only the completion of the availability
 * future happens elsewhere.
 */
final class SequenceReader<T> implements SourceReader<T, SequenceSplit> {

    private static final long RELEASE_CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final SequenceRecordMapper<T> mapper;
    private final long nanosPerRecord;
    private final Path releaseFile;

    private final ArrayDeque<Progress> splits = new ArrayDeque<>();
    private boolean noMoreSplits;
    private CompletableFuture<Void> available = CompletableFuture.completedFuture(null);

    private long nextEmitNanos = System.nanoTime();
    private boolean released;
    private long nextReleaseCheckNanos;

    /**
     * @param recordsPerSecond per split; 0 for no pacing
     * @param releaseFile once this file exists, pacing stops; null to pace until the end
     */
    SequenceReader(SequenceRecordMapper<T> mapper, int recordsPerSecond, String releaseFile) {
        this.mapper = mapper;
        this.nanosPerRecord =
                recordsPerSecond > 0 ? TimeUnit.SECONDS.toNanos(1) / recordsPerSecond : 0;
        this.releaseFile = releaseFile == null ? null : Path.of(releaseFile);
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) {
        Progress split = splits.peek();
        if (split == null) {
            return noMoreSplits ? InputStatus.END_OF_INPUT : waitForSignal();
        }
        long now = System.nanoTime();
        if (isPaced(now) && now - nextEmitNanos < 0) {
            return waitUntil(nextEmitNanos - now);
        }
        output.collect(mapper.map(split.index, split.next));
        split.next++;
        splits.poll();
        if (split.next < split.end) {
            splits.add(split);
        }
        if (isPaced(now)) {
            // The pace is per split: a reader with several splits emits proportionally faster.
            nextEmitNanos = now + nanosPerRecord / Math.max(1, splits.size());
        }
        return splits.isEmpty() && noMoreSplits
                ? InputStatus.END_OF_INPUT
                : InputStatus.MORE_AVAILABLE;
    }

    private boolean isPaced(long now) {
        if (nanosPerRecord == 0 || released) {
            return false;
        }
        if (releaseFile != null && now - nextReleaseCheckNanos >= 0) {
            released = Files.exists(releaseFile);
            nextReleaseCheckNanos = now + RELEASE_CHECK_INTERVAL_NANOS;
        }
        return !released;
    }

    private InputStatus waitForSignal() {
        if (available.isDone()) {
            available = new CompletableFuture<>();
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    private InputStatus waitUntil(long delayNanos) {
        CompletableFuture<Void> timer = new CompletableFuture<>();
        available = timer;
        CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS)
                .execute(() -> timer.complete(null));
        return InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<SequenceSplit> added) {
        for (SequenceSplit split : added) {
            if (!split.isFinished()) {
                splits.add(new Progress(split));
            }
        }
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public List<SequenceSplit> snapshotState(long checkpointId) {
        List<SequenceSplit> state = new ArrayList<>(splits.size());
        for (Progress split : splits) {
            state.add(new SequenceSplit(split.index, split.next, split.end));
        }
        return state;
    }

    @Override
    public void close() {}

    /** The mutable position of one split; only {@link #pollNext} advances it. */
    private static final class Progress {
        final int index;
        final long end;
        long next;

        Progress(SequenceSplit split) {
            this.index = split.index();
            this.next = split.next();
            this.end = split.end();
        }
    }
}
