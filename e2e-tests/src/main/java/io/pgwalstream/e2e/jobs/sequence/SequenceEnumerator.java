package io.pgwalstream.e2e.jobs.sequence;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Pushes split {@code i} to reader {@code i % parallelism} when that reader registers, then tells
 * it that no more splits will come. Splits of a failed reader come back through {@link
 * #addSplitsBack} and go to its replacement, which registers anew.
 */
final class SequenceEnumerator implements SplitEnumerator<SequenceSplit, SequenceEnumeratorState> {

    private final SplitEnumeratorContext<SequenceSplit> context;
    private final List<SequenceSplit> unassigned;

    SequenceEnumerator(
            SplitEnumeratorContext<SequenceSplit> context, List<SequenceSplit> unassigned) {
        this.context = context;
        this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Splits are pushed on registration.
    }

    @Override
    public void addSplitsBack(List<SequenceSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {
        int parallelism = context.currentParallelism();
        List<SequenceSplit> forReader = new ArrayList<>();
        for (Iterator<SequenceSplit> it = unassigned.iterator(); it.hasNext(); ) {
            SequenceSplit split = it.next();
            if (split.index() % parallelism == subtaskId) {
                forReader.add(split);
                it.remove();
            }
        }
        if (!forReader.isEmpty()) {
            context.assignSplits(new SplitsAssignment<>(Map.of(subtaskId, forReader)));
        }
        // Exactly once per registered reader: a reader that restarts registers again.
        context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public SequenceEnumeratorState snapshotState(long checkpointId) {
        return new SequenceEnumeratorState(unassigned);
    }

    @Override
    public void close() {}
}
