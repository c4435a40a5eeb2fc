package io.pgwalstream.e2e.jobs.sequence;

import java.io.Serializable;

/** Turns the element {@code seq} of split {@code split} into the record the source emits. */
@FunctionalInterface
public interface SequenceRecordMapper<T> extends Serializable {

    T map(int split, long seq);

    /** {@code "<split>,<seq>"}: the line format that {@link SequenceJob} writes. */
    static SequenceRecordMapper<String> lines() {
        return new Lines();
    }

    /** The {@link #lines()} mapper. */
    final class Lines implements SequenceRecordMapper<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String map(int split, long seq) {
            return split + "," + seq;
        }
    }
}
