package io.pgwalstream.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgOutputOptionsTest {

    @Test
    void defaultsAreOff() {
        PgOutputOptions options = PgOutputOptions.of(1);

        assertThat(options.streaming()).isEqualTo(StreamingMode.OFF);
        assertThat(options.streamingEnabled()).isFalse();
        assertThat(options.binary()).isFalse();
        assertThat(options.messages()).isFalse();
        assertThat(options.twoPhase()).isFalse();
    }

    @Test
    void versionRange() {
        assertThatThrownBy(() -> PgOutputOptions.of(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and 4, got 0");
        assertThatThrownBy(() -> PgOutputOptions.of(5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PgOutputOptions.of(4).protoVersion()).isEqualTo(4);
    }

    @Test
    void streamingOnNeedsVersion2() {
        assertThatThrownBy(() -> PgOutputOptions.of(1).withStreaming(StreamingMode.ON))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pgoutput streaming 'on' needs proto_version >= 2, got 1");
        assertThat(PgOutputOptions.of(2).withStreaming(StreamingMode.ON).streamingEnabled())
                .isTrue();
    }

    @Test
    void parallelNeedsVersion4() {
        assertThatThrownBy(() -> PgOutputOptions.of(3).withStreaming(StreamingMode.PARALLEL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pgoutput streaming 'parallel' needs proto_version >= 4, got 3");
        assertThat(PgOutputOptions.of(4).withStreaming(StreamingMode.PARALLEL).streaming())
                .isEqualTo(StreamingMode.PARALLEL);
    }

    @Test
    void twoPhaseNeedsVersion3() {
        assertThatThrownBy(() -> PgOutputOptions.of(2).withTwoPhase(true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pgoutput two_phase needs proto_version >= 3, got 2");
        assertThat(PgOutputOptions.of(3).withTwoPhase(true).twoPhase()).isTrue();
    }

    @Test
    void withersKeepTheOtherOptions() {
        PgOutputOptions options =
                PgOutputOptions.of(4)
                        .withStreaming(StreamingMode.PARALLEL)
                        .withBinary(true)
                        .withMessages(true)
                        .withTwoPhase(true);

        assertThat(options)
                .isEqualTo(new PgOutputOptions(4, StreamingMode.PARALLEL, true, true, true));
        assertThat(options.withBinary(false).messages()).isTrue();
    }

    @Test
    void streamingModeOptionValues() {
        assertThat(StreamingMode.OFF.optionValue()).isEqualTo("off");
        assertThat(StreamingMode.ON.optionValue()).isEqualTo("on");
        assertThat(StreamingMode.PARALLEL.optionValue()).isEqualTo("parallel");
    }
}
