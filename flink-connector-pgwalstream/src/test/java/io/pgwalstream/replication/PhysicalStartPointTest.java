package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PhysicalStartPointTest {

    private static final TimelineHistory THREE =
            TimelineHistory.parse(
                    3,
                    "1\t0/3000000\tno recovery target specified\n2\t0/7000100\tx\n"
                            .getBytes(StandardCharsets.US_ASCII));

    @Test
    void onTheCurrentTimelineTheSessionIsOpenEnded() {
        PhysicalStartPoint p =
                PhysicalStartPoint.choose(Lsn.parse("0/1234567"), TimelineHistory.root(1));
        assertThat(p).isEqualTo(new PhysicalStartPoint(Lsn.parse("0/1234567"), 1, Lsn.INVALID));
        assertThat(p.endsAtSwitchPoint()).isFalse();

        assertThat(PhysicalStartPoint.choose(Lsn.parse("0/7000100"), THREE))
                .isEqualTo(new PhysicalStartPoint(Lsn.parse("0/7000100"), 3, Lsn.INVALID));
    }

    @Test
    void onAnOlderTimelineTheSessionEndsAtItsSwitchPoint() {
        PhysicalStartPoint p = PhysicalStartPoint.choose(Lsn.parse("0/2FFFFFF"), THREE);
        assertThat(p)
                .isEqualTo(
                        new PhysicalStartPoint(Lsn.parse("0/2FFFFFF"), 1, Lsn.parse("0/3000000")));
        assertThat(p.endsAtSwitchPoint()).isTrue();

        assertThat(PhysicalStartPoint.choose(Lsn.parse("0/3000000"), THREE))
                .isEqualTo(
                        new PhysicalStartPoint(Lsn.parse("0/3000000"), 2, Lsn.parse("0/7000100")));
    }

    @Test
    void followingTheSwitchPointsWalksThroughEveryTimelineOnce() {
        Lsn at = Lsn.parse("0/100");
        StringBuilder sessions = new StringBuilder();
        while (true) {
            PhysicalStartPoint p = PhysicalStartPoint.choose(at, THREE);
            sessions.append(p.timeline()).append('@').append(p.startLsn()).append(' ');
            if (!p.endsAtSwitchPoint()) {
                break;
            }
            at = p.endLsn(); // the next session continues where this one ended
        }
        assertThat(sessions.toString().trim()).isEqualTo("1@0/100 2@0/3000000 3@0/7000100");
    }

    @Test
    void resumesAtTheLatestOfStartFlushedAndContinuation() {
        Lsn start = Lsn.parse("0/100");
        assertThat(PhysicalStartPoint.resumePoint(start, Lsn.INVALID, Lsn.INVALID))
                .isEqualTo(start);
        assertThat(PhysicalStartPoint.resumePoint(start, Lsn.parse("0/200"), Lsn.INVALID))
                .isEqualTo(Lsn.parse("0/200"));
        assertThat(PhysicalStartPoint.resumePoint(start, Lsn.parse("0/200"), Lsn.parse("0/300")))
                .isEqualTo(Lsn.parse("0/300"));
        assertThat(
                        PhysicalStartPoint.resumePoint(
                                Lsn.parse("1/0"), Lsn.parse("0/200"), Lsn.parse("0/300")))
                .isEqualTo(Lsn.parse("1/0"));
    }
}
