package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

/**
 * Where one physical walsender session starts and, on an older timeline, where it must end. Pure:
 * the decision is taken from what {@code IDENTIFY_SYSTEM} and {@code TIMELINE_HISTORY} said.
 *
 * <p>A server streams a timeline of its history up to the point where it switched to the next
 * timeline, then ends the stream with CopyDone. pgjdbc does not surface that CopyDone (its copy
 * reader keeps waiting for CommandComplete), so the session must know the end in advance: it stops
 * by itself once WAL up to {@link #endLsn} was received, and the next session starts at that switch
 * point on the next timeline.
 *
 * @param startLsn the {@code START_REPLICATION} position; the first XLogData starts exactly there
 * @param timeline the timeline to ask for ({@code TIMELINE} option)
 * @param endLsn the timeline's switch point when it is not the server's current one, otherwise
 *     {@code 0/0} (open-ended)
 */
record PhysicalStartPoint(Lsn startLsn, long timeline, Lsn endLsn) {

    /**
     * Where to resume: the latest of the configured start, the consumer's flushed LSN and the point
     * where the previous session ended on purpose (end of a timeline; {@code 0/0} if it did not).
     * Physical streaming honours any of them while the server has the WAL.
     */
    static Lsn resumePoint(Lsn configuredStart, Lsn flushed, Lsn continuation) {
        return Lsn.max(configuredStart, Lsn.max(flushed, continuation));
    }

    /**
     * Chooses the timeline that holds {@code resume} in the history of the server's current
     * timeline. If it is an older one, the session streams it up to its switch point; otherwise it
     * streams the current timeline open-ended.
     *
     * @param history the history of the server's current timeline
     */
    static PhysicalStartPoint choose(Lsn resume, TimelineHistory history) {
        long timeline = history.timelineOf(resume);
        Lsn end = history.endOf(timeline);
        // An LSN at a switch point belongs to the next timeline, so resume < end here: the server
        // never answers a request to start exactly at the end of a historic timeline with
        // streaming (it skips CopyBoth and returns the next timeline at once).
        return new PhysicalStartPoint(resume, timeline, end);
    }

    /** Whether this session streams a finished timeline and ends at its switch point. */
    boolean endsAtSwitchPoint() {
        return endLsn.isValid();
    }
}
