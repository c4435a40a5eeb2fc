package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimelineHistoryTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesAFileAsThePromotedServerWritesIt() {
        TimelineHistory h =
                TimelineHistory.parse(2, bytes("1\t0/3032920\tno recovery target specified\n"));

        assertThat(h.timeline()).isEqualTo(2);
        assertThat(h.entries())
                .containsExactly(
                        new TimelineHistory.Entry(
                                1,
                                Lsn.INVALID,
                                Lsn.parse("0/3032920"),
                                "no recovery target specified"),
                        new TimelineHistory.Entry(2, Lsn.parse("0/3032920"), Lsn.INVALID, ""));
        assertThat(h.entry(2).isOpen()).isTrue();
        assertThat(h.entry(1).isOpen()).isFalse();
    }

    @Test
    void commentsBlankLinesSpacesAndCarriageReturnsAreAllowed() {
        byte[] content =
                bytes(
                        "# written by hand\r\n"
                                + "\n"
                                + "   \t\n"
                                + "1\t0/5000000\tbefore 2026-01-01\r\n"
                                + "  # indented comment\n"
                                + "3 1/A0 \n"
                                + "4\t2/0\tat restore point \"r\"");

        TimelineHistory h = TimelineHistory.parse(7, content);

        assertThat(h.entries())
                .extracting(TimelineHistory.Entry::timeline)
                .containsExactly(1L, 3L, 4L, 7L);
        assertThat(h.entries())
                .extracting(TimelineHistory.Entry::end)
                .containsExactly(
                        Lsn.parse("0/5000000"), Lsn.parse("1/A0"), Lsn.parse("2/0"), Lsn.INVALID);
        assertThat(h.entry(1).reason()).isEqualTo("before 2026-01-01");
        assertThat(h.entry(3).reason()).isEmpty();
        assertThat(h.entry(4).reason()).isEqualTo("at restore point \"r\"");
        assertThat(h.entry(3).begin()).isEqualTo(Lsn.parse("0/5000000"));
    }

    @Test
    void reasonsAreUtf8AndLowerCaseHexIsAccepted() {
        TimelineHistory h = TimelineHistory.parse(2, bytes("1\t0/3a2b\tpromu à 10 h\n"));
        assertThat(h.endOf(1)).isEqualTo(Lsn.of(0x3A2B));
        assertThat(h.entry(1).reason()).isEqualTo("promu à 10 h");
    }

    @Test
    void anEmptyFileIsATimelineWithoutAncestors() {
        assertThat(TimelineHistory.parse(5, new byte[0])).isEqualTo(TimelineHistory.root(5));
        assertThat(TimelineHistory.root(1).entries())
                .containsExactly(new TimelineHistory.Entry(1, Lsn.INVALID, Lsn.INVALID, ""));
    }

    @Test
    void findsTheTimelineHoldingAnLsnWithSwitchPointsBelongingToTheChild() {
        TimelineHistory h =
                TimelineHistory.parse(4, bytes("1\t0/3000000\tx\n2\t0/5000000\ty\n3\t1/0\tz\n"));

        assertThat(h.timelineOf(Lsn.INVALID)).isEqualTo(1);
        assertThat(h.timelineOf(Lsn.parse("0/2FFFFFF"))).isEqualTo(1);
        assertThat(h.timelineOf(Lsn.parse("0/3000000"))).isEqualTo(2);
        assertThat(h.timelineOf(Lsn.parse("0/4FFFFFF"))).isEqualTo(2);
        assertThat(h.timelineOf(Lsn.parse("0/5000000"))).isEqualTo(3);
        assertThat(h.timelineOf(Lsn.parse("0/FFFFFFFF"))).isEqualTo(3);
        assertThat(h.timelineOf(Lsn.parse("1/0"))).isEqualTo(4);
        assertThat(h.timelineOf(Lsn.parse("FFFFFFFF/FFFFFFFF"))).isEqualTo(4);

        assertThat(h.endOf(2)).isEqualTo(Lsn.parse("0/5000000"));
        assertThat(h.endOf(4)).isEqualTo(Lsn.INVALID);
        assertThat(h.nextTimeline(1)).isEqualTo(2);
        assertThat(h.nextTimeline(3)).isEqualTo(4);
    }

    @Test
    void timelinesMayBeSkippedAndEmptyOnes() {
        // Timeline 2 was left at the very point it began: it holds no WAL.
        TimelineHistory h = TimelineHistory.parse(5, bytes("2\t0/3000000\ta\n4\t0/3000000\tb\n"));
        assertThat(h.timelineOf(Lsn.parse("0/2FFFFFF"))).isEqualTo(2);
        assertThat(h.timelineOf(Lsn.parse("0/3000000"))).isEqualTo(5);
        assertThat(h.nextTimeline(2)).isEqualTo(4);
    }

    @Test
    void unknownTimelinesAreNamed() {
        TimelineHistory h = TimelineHistory.parse(3, bytes("1\t0/3000000\tx\n"));
        assertThatThrownBy(() -> h.endOf(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Timeline 2 is not in the history of timeline 3");
        assertThatThrownBy(() -> h.nextTimeline(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Timeline 3 has no successor");
    }

    @Test
    void malformedLinesAreReportedWithTheirNumberAndText() {
        assertInvalid(2, "x\t0/1\n", "line 1 'x\t0/1': expected a numeric timeline ID");
        assertInvalid(2, "# c\n1\n", "line 2 '1': expected a WAL switch point");
        assertInvalid(2, "1\tzz/1\n", "expected a WAL switch point");
        assertInvalid(2, "1\t0/123456789\n", "expected a WAL switch point");
        assertInvalid(3, "2\t0/1\n1\t0/2\n", "line 2 '1\t0/2': timeline IDs must increase");
        assertInvalid(3, "1\t0/1\n1\t0/2\n", "timeline IDs must increase");
        assertInvalid(3, "3\t0/1\n", "below the timeline it leads to");
        assertInvalid(4, "1\t0/5\n2\t0/4\n", "switch point is before the previous one 0/5");
        assertInvalid(2, "0\t0/5\n", "timeline IDs start at 1");
        assertInvalid(9, "4294967296\t0/5\n", "timeline ID out of range");
        assertInvalid(9, "99999999999\t0/5\n", "timeline ID out of range");
    }

    private static void assertInvalid(long timeline, String content, String message) {
        assertThatThrownBy(() -> TimelineHistory.parse(timeline, bytes(content)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid history file of timeline " + timeline)
                .hasMessageContaining(message);
    }

    @Test
    void timelineIdsAreChecked() {
        assertThatThrownBy(() -> TimelineHistory.root(0))
                .hasMessage("Timeline IDs are between 1 and 4294967295, got 0");
        assertThatThrownBy(() -> TimelineHistory.command(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new TimelineHistory(
                                        2,
                                        List.of(
                                                new TimelineHistory.Entry(
                                                        1, Lsn.INVALID, Lsn.INVALID, ""))))
                .hasMessageContaining("must end with that timeline");
    }
}
