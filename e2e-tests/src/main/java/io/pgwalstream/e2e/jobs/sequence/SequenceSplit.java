package io.pgwalstream.e2e.jobs.sequence;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One deterministic sequence {@code 0 .. end-1}, of which {@code next ..} are still to be emitted.
 * A split's position lives only in reader checkpoints, so after any restore the reader continues
 * exactly where the restored checkpoint left it.
 */
public record SequenceSplit(int index, long next, long end) implements SourceSplit {

    public SequenceSplit {
        if (index < 0 || next < 0 || end < next) {
            throw new IllegalArgumentException(
                    "Invalid split: index " + index + ", next " + next + ", end " + end);
        }
    }

    @Override
    public String splitId() {
        return "sequence-" + index;
    }

    boolean isFinished() {
        return next == end;
    }
}
