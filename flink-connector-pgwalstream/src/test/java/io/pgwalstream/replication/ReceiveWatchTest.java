package io.pgwalstream.replication;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ReceiveWatchTest {

    private static final long S = 1_000_000_000L;

    @Test
    void asksForAReplyOnceHalfwayThenGivesUp() {
        ReceiveWatch watch = new ReceiveWatch(Duration.ofSeconds(10), 0);
        assertThat(watch.afterEmptyRead(4 * S)).isEqualTo(ReceiveWatch.Verdict.FINE);
        assertThat(watch.afterEmptyRead(5 * S)).isEqualTo(ReceiveWatch.Verdict.ASK_FOR_REPLY);
        assertThat(watch.afterEmptyRead(7 * S)).isEqualTo(ReceiveWatch.Verdict.FINE);
        assertThat(watch.afterEmptyRead(10 * S)).isEqualTo(ReceiveWatch.Verdict.DEAD);
        java.sql.SQLException dead = watch.deadConnection(10 * S);
        assertThat(dead.getMessage())
                .contains("No message from the server for 10000 ms")
                .contains("receive timeout 10000 ms");
        assertThat(dead.getSQLState()).isEqualTo("08006");
    }

    @Test
    void aMessageStartsTheCountAgainAndMayBeAskedForAgain() {
        ReceiveWatch watch = new ReceiveWatch(Duration.ofSeconds(10), 0);
        assertThat(watch.afterEmptyRead(6 * S)).isEqualTo(ReceiveWatch.Verdict.ASK_FOR_REPLY);
        watch.heard(7 * S);
        assertThat(watch.afterEmptyRead(11 * S)).isEqualTo(ReceiveWatch.Verdict.FINE);
        assertThat(watch.afterEmptyRead(12 * S)).isEqualTo(ReceiveWatch.Verdict.ASK_FOR_REPLY);
        assertThat(watch.afterEmptyRead(16 * S)).isEqualTo(ReceiveWatch.Verdict.FINE);
        assertThat(watch.afterEmptyRead(17 * S)).isEqualTo(ReceiveWatch.Verdict.DEAD);
    }

    @Test
    void timeSpentNotReadingDoesNotCount() {
        ReceiveWatch watch = new ReceiveWatch(Duration.ofSeconds(10), 0);
        // Back-pressure for 30 s: the client did not read, so the server cannot be blamed.
        watch.resumedReading(30 * S);
        assertThat(watch.afterEmptyRead(31 * S)).isEqualTo(ReceiveWatch.Verdict.FINE);
        assertThat(watch.afterEmptyRead(40 * S)).isEqualTo(ReceiveWatch.Verdict.DEAD);
    }
}
