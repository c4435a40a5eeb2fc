package io.pgwalstream.e2e.jobs.sequence;

import java.util.List;

/** The splits that no reader owns at a checkpoint. */
public record SequenceEnumeratorState(List<SequenceSplit> unassigned) {

    public SequenceEnumeratorState {
        unassigned = List.copyOf(unassigned);
    }
}
