package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The history of a timeline: which ancestor timelines its WAL came from, and where each of them was
 * left. Parsed from the timeline's history file ({@code 0000000N.history}, as returned by {@code
 * TIMELINE_HISTORY N}), whose lines read {@code parentTLI<TAB>switchpoint<TAB>reason}; blank lines
 * and {@code #} comments are allowed. The rules are those of the server's {@code
 * readTimeLineHistory}: timeline IDs increase and are all below the timeline described.
 *
 * <p>A timeline owns WAL from its {@link Entry#begin() begin} (inclusive) to its {@link Entry#end()
 * end}, the switch point (exclusive), where its child starts. The last entry is the timeline
 * itself, open-ended.
 *
 * @param timeline the timeline whose history this is
 * @param entries ancestors from the oldest, then the timeline itself
 */
public record TimelineHistory(long timeline, List<Entry> entries) {

    /**
     * One timeline of the history.
     *
     * @param begin the first LSN on this timeline ({@code 0/0} for the oldest: from the start)
     * @param end the switch point to the next timeline, {@code 0/0} for the timeline described
     * @param reason why the server left this timeline, as written in the file ("" if none)
     */
    public record Entry(long timeline, Lsn begin, Lsn end, String reason) {

        /** Whether this timeline continues without a known end (it is the newest one). */
        public boolean isOpen() {
            return !end.isValid();
        }

        boolean contains(Lsn lsn) {
            return !lsn.isBefore(begin) && (isOpen() || lsn.isBefore(end));
        }
    }

    public TimelineHistory {
        entries = List.copyOf(entries);
        if (entries.isEmpty() || entries.get(entries.size() - 1).timeline() != timeline) {
            throw new IllegalArgumentException(
                    "The history of timeline " + timeline + " must end with that timeline");
        }
    }

    /** The history of a timeline with no ancestors (timeline 1 has no history file). */
    public static TimelineHistory root(long timeline) {
        requireTimeline(timeline);
        return new TimelineHistory(
                timeline, List.of(new Entry(timeline, Lsn.INVALID, Lsn.INVALID, "")));
    }

    /**
     * Parses the content of the history file of {@code timeline}.
     *
     * @throws IllegalArgumentException naming the line, when the content breaks the rules
     */
    public static TimelineHistory parse(long timeline, byte[] content) {
        requireTimeline(timeline);
        // Latin-1 maps every byte to one char, so offsets stay byte offsets.
        String text = new String(content, StandardCharsets.ISO_8859_1);
        List<Entry> entries = new ArrayList<>();
        Lsn previousEnd = Lsn.INVALID;
        long previousTimeline = 0;
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int pos = skipSpace(line, 0);
            if (pos == line.length() || line.charAt(pos) == '#') {
                continue;
            }
            int tliEnd = skipDigits(line, pos);
            if (tliEnd == pos) {
                throw syntaxError(timeline, n, line, "expected a numeric timeline ID");
            }
            long tli = parseTimelineId(line.substring(pos, tliEnd), timeline, n, line);
            int lsnStart = skipSpace(line, tliEnd);
            int lsnEnd = skipNonSpace(line, lsnStart);
            Lsn switchPoint;
            try {
                switchPoint = Lsn.parse(line.substring(lsnStart, lsnEnd));
            } catch (IllegalArgumentException e) {
                throw syntaxError(timeline, n, line, "expected a WAL switch point after the ID");
            }
            if (tli <= previousTimeline) {
                throw syntaxError(timeline, n, line, "timeline IDs must increase");
            }
            if (tli >= timeline) {
                throw syntaxError(
                        timeline,
                        n,
                        line,
                        "an ancestor's ID must be below the timeline it leads to");
            }
            if (switchPoint.isBefore(previousEnd)) {
                throw syntaxError(
                        timeline,
                        n,
                        line,
                        "switch point is before the previous one " + previousEnd);
            }
            String reason =
                    new String(
                                    line.substring(skipSpace(line, lsnEnd))
                                            .getBytes(StandardCharsets.ISO_8859_1),
                                    StandardCharsets.UTF_8)
                            .strip();
            entries.add(new Entry(tli, previousEnd, switchPoint, reason));
            previousEnd = switchPoint;
            previousTimeline = tli;
        }
        entries.add(new Entry(timeline, previousEnd, Lsn.INVALID, ""));
        return new TimelineHistory(timeline, entries);
    }

    /**
     * Reads the history of {@code timeline} with {@code TIMELINE_HISTORY} on a replication
     * connection; timeline 1 has no history file and needs no round trip.
     */
    public static TimelineHistory read(Connection replicationConnection, long timeline)
            throws SQLException {
        if (timeline == 1) {
            return root(1);
        }
        try (Statement s = replicationConnection.createStatement();
                ResultSet rs = s.executeQuery(command(timeline))) {
            if (!rs.next()) {
                throw new SQLException("TIMELINE_HISTORY " + timeline + " returned no row");
            }
            // The content is the file's raw bytes. Servers before 16 label the column bytea
            // although it is sent as plain text: take the text then, so that pgjdbc does not
            // apply bytea escape decoding to it.
            // The file's raw bytes. The column is text on 14-18 (sent without encoding
            // conversion), and pgjdbc's getBytes returns a text column's bytes unchanged.
            byte[] content = rs.getBytes(2);
            return parse(timeline, content);
        }
    }

    /** {@code TIMELINE_HISTORY tli}. */
    public static String command(long timeline) {
        requireTimeline(timeline);
        return "TIMELINE_HISTORY " + timeline;
    }

    /**
     * The timeline that holds {@code lsn} in this history: the one whose begin is at or before it
     * and whose switch point is after it. An LSN at a switch point belongs to the next timeline.
     */
    public long timelineOf(Lsn lsn) {
        for (Entry e : entries) {
            if (e.contains(lsn)) {
                return e.timeline();
            }
        }
        // Unreachable: the first entry begins at 0/0 and the last is open-ended.
        throw new IllegalStateException("No timeline holds " + lsn + " in " + this);
    }

    /**
     * The entry of {@code tli}.
     *
     * @throws IllegalArgumentException if {@code tli} is not in this history
     */
    public Entry entry(long tli) {
        for (Entry e : entries) {
            if (e.timeline() == tli) {
                return e;
            }
        }
        throw new IllegalArgumentException(
                "Timeline " + tli + " is not in the history of timeline " + timeline);
    }

    /** Where {@code tli} ends (its switch point), or {@code 0/0} if it is this timeline. */
    public Lsn endOf(long tli) {
        return entry(tli).end();
    }

    /** The timeline that follows {@code tli} in this history. */
    public long nextTimeline(long tli) {
        for (int i = 0; i < entries.size() - 1; i++) {
            if (entries.get(i).timeline() == tli) {
                return entries.get(i + 1).timeline();
            }
        }
        throw new IllegalArgumentException(
                "Timeline " + tli + " has no successor in the history of timeline " + timeline);
    }

    private static void requireTimeline(long timeline) {
        if (timeline < 1 || timeline > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(
                    "Timeline IDs are between 1 and 4294967295, got " + timeline);
        }
    }

    private static long parseTimelineId(String digits, long timeline, int line, String text) {
        if (digits.length() > 10 || Long.parseLong(digits) > 0xFFFF_FFFFL) {
            throw syntaxError(timeline, line, text, "timeline ID out of range");
        }
        long tli = Long.parseLong(digits);
        if (tli == 0) {
            throw syntaxError(timeline, line, text, "timeline IDs start at 1");
        }
        return tli;
    }

    private static IllegalArgumentException syntaxError(
            long timeline, int lineIndex, String line, String problem) {
        return new IllegalArgumentException(
                "Invalid history file of timeline "
                        + timeline
                        + ", line "
                        + (lineIndex + 1)
                        + " '"
                        + line.strip()
                        + "': "
                        + problem);
    }

    /** Whitespace as C's {@code isspace} sees it in the C locale. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static int skipSpace(String s, int from) {
        int i = from;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipNonSpace(String s, int from) {
        int i = from;
        while (i < s.length() && !isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipDigits(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }
}
