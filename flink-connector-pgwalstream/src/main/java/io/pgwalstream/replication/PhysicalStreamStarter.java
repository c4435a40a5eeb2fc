package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.ReplicationFrameDecoder;
import io.pgwalstream.protocol.XLogData;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Starts physical streaming (raw WAL) and follows timeline switches.
 *
 * <p>Each walsender session: {@code IDENTIFY_SYSTEM} gives the server's timeline, {@code
 * TIMELINE_HISTORY} of that timeline tells which timeline holds the resume point. On the current
 * timeline the session streams open-ended; on an older one it streams with {@code TIMELINE t} up to
 * that timeline's switch point, ends the stream with CopyDone and the next session continues at the
 * switch point on the following timeline (see {@link PhysicalStartPoint} for why the end must be
 * known in advance). The consumer sees one {@link SessionStart} per timeline, with its number.
 *
 * <p>Resume point: the latest of the configured start, the consumer's flushed LSN and, when the
 * previous session ended a timeline on purpose, that timeline's end. After a connection failure the
 * stream therefore replays from the flushed LSN (physical streaming honours it while the WAL
 * exists).
 *
 * <p>A standby that is promoted while a session streams its current timeline ends that timeline
 * with a CopyDone that pgjdbc swallows (see {@link PhysicalStartPoint}): the stream just goes
 * quiet. So while the stream of a hot standby is idle, {@link #serverEndedStream} asks the server
 * for its timeline on a side connection; once it moved on, the session ends its stream and the next
 * one crosses the switch point as above.
 *
 * <p>The server's system identifier is remembered from the first session: a reconnect that reaches
 * a different cluster fails instead of mixing two clusters' WAL.
 */
final class PhysicalStreamStarter implements StreamStarter {

    private static final Logger LOG = LoggerFactory.getLogger(PhysicalStreamStarter.class);

    private final PhysicalStreamSpec spec;
    private String systemId;
    private PhysicalCopyDual previous;

    /** The timeline the current session streams open-ended on a hot standby, 0 otherwise. */
    private long standbyTimeline;

    PhysicalStreamStarter(PhysicalStreamSpec spec) {
        this.spec = spec;
    }

    @Override
    public String slotName() {
        return spec.slotName();
    }

    @Override
    public String description() {
        return spec.describe();
    }

    @Override
    public PGConnection connect(PgConnectionConfig config, Duration readLinger)
            throws SQLException {
        return PgConnections.openPhysicalReplication(config, readLinger);
    }

    @Override
    public Started start(
            PGConnection connection, ServerVersion server, Lsn resumeFrom, boolean reconnecting)
            throws SQLException {
        Connection c = (Connection) connection;
        SystemIdentity identity = identify(c);
        TimelineHistory history = history(c, identity.timeline());
        Lsn continuation =
                previous != null && previous.endedByClient() ? previous.dataEnd() : Lsn.INVALID;
        Lsn resume = PhysicalStartPoint.resumePoint(spec.startLsn(), resumeFrom, continuation);
        PhysicalStartPoint point = PhysicalStartPoint.choose(resume, history);
        if (point.endsAtSwitchPoint()) {
            LOG.info(
                    "{}: {} lies on timeline {}, which the server (on timeline {}) left at {} for"
                            + " timeline {}; streaming it up to there",
                    spec.describe(),
                    resume,
                    point.timeline(),
                    identity.timeline(),
                    point.endLsn(),
                    history.nextTimeline(point.timeline()));
        }
        String command =
                StartReplicationCommand.physical(
                        spec.slotName(), point.startLsn(), point.timeline());
        standbyTimeline = !point.endsAtSwitchPoint() && isHotStandby(c) ? point.timeline() : 0L;
        PhysicalCopyDual copy =
                new PhysicalCopyDual(connection.getCopyAPI().copyDual(command), point.startLsn());
        previous = copy;
        return new Started(copy, point.startLsn(), point.timeline(), point.endLsn());
    }

    @Override
    public boolean serverEndedStream(PgConnectionConfig config) throws SQLException {
        if (standbyTimeline == 0) {
            return false; // only a standby's current timeline can end under a running stream
        }
        long now;
        try (Connection side = (Connection) PgConnections.openPhysicalReplication(config)) {
            now = SystemIdentity.read(side).timeline();
        }
        if (now <= standbyTimeline) {
            return false;
        }
        LOG.info(
                "{}: the server was promoted and is on timeline {} now; ending the stream of"
                        + " timeline {} at {} to follow it",
                spec.describe(),
                now,
                standbyTimeline,
                previous.dataEnd());
        standbyTimeline = 0;
        return true;
    }

    /**
     * The end of the WAL bytes an XLogData carries. The server's walEnd field is not that: on a
     * finished timeline it is the switch point from the very first chunk.
     */
    @Override
    public long receivedEnd(byte[] copyData) {
        if (copyData.length >= XLogData.HEADER_LENGTH && copyData[0] == XLogData.TAG) {
            XLogData chunk = (XLogData) ReplicationFrameDecoder.decode(copyData);
            return chunk.dataStart() + chunk.payloadLength();
        }
        return 0L;
    }

    /** {@code in_hot_standby} is reported from PostgreSQL 14 on, the oldest version supported. */
    private static boolean isHotStandby(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW in_hot_standby")) {
            return rs.next() && "on".equals(rs.getString(1));
        }
    }

    private SystemIdentity identify(Connection c) throws SQLException {
        SystemIdentity identity;
        try {
            identity = SystemIdentity.read(c);
        } catch (IllegalArgumentException e) {
            throw new ReplicationException(
                    spec.describe() + ": unexpected IDENTIFY_SYSTEM answer: " + e.getMessage(), e);
        }
        if (systemId == null) {
            systemId = identity.systemId();
        } else if (!systemId.equals(identity.systemId())) {
            throw new ReplicationException(
                    spec.describe()
                            + ": the server now belongs to another cluster (system identifier "
                            + identity.systemId()
                            + ", streamed so far from "
                            + systemId
                            + "); its WAL does not continue what was streamed. Start a new"
                            + " stream for that cluster.",
                    null);
        }
        return identity;
    }

    private TimelineHistory history(Connection c, long timeline) throws SQLException {
        try {
            return TimelineHistory.read(c, timeline);
        } catch (IllegalArgumentException e) {
            throw new ReplicationException(
                    spec.describe()
                            + ": cannot follow timelines, the server's history of timeline "
                            + timeline
                            + " is invalid: "
                            + e.getMessage(),
                    e);
        }
    }
}
