package io.pgwalstream.e2e.jobs.sequence;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SequenceSerializersTest {

    @Test
    void splitsRoundTrip() throws Exception {
        SequenceSplitSerializer serializer = new SequenceSplitSerializer();
        SequenceSplit split = new SequenceSplit(3, 17, 1000);

        byte[] bytes = serializer.serialize(split);

        assertThat(bytes).hasSize(20);
        assertThat(serializer.deserialize(serializer.getVersion(), bytes)).isEqualTo(split);
    }

    @Test
    void enumeratorStatesRoundTrip() throws Exception {
        SequenceEnumeratorStateSerializer serializer = new SequenceEnumeratorStateSerializer();
        SequenceEnumeratorState state =
                new SequenceEnumeratorState(
                        List.of(new SequenceSplit(0, 0, 5), new SequenceSplit(1, 5, 5)));

        assertThat(serializer.deserialize(1, serializer.serialize(state))).isEqualTo(state);
        assertThat(
                        serializer
                                .deserialize(
                                        1,
                                        serializer.serialize(
                                                new SequenceEnumeratorState(List.of())))
                                .unassigned())
                .isEmpty();
    }

    @Test
    void unknownVersionsAreRejected() {
        assertThatThrownBy(() -> new SequenceSplitSerializer().deserialize(2, new byte[20]))
                .isInstanceOf(IOException.class)
                .hasMessage("Unknown serializer version 2 (known: 1)");
    }

    @Test
    void invalidSplitsAreRejected() {
        assertThatThrownBy(() -> new SequenceSplit(0, 6, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
