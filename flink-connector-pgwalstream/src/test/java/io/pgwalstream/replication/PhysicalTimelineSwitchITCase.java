package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.testing.postgres.EveryPostgresVersion;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;
import io.pgwalstream.testing.postgres.PostgresVersion;

import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static io.pgwalstream.replication.ServerWal.FAST_RECONNECT;
import static io.pgwalstream.replication.ServerWal.awaitCondition;
import static io.pgwalstream.replication.ServerWal.drainUntil;
import static io.pgwalstream.replication.ServerWal.flushLsn;
import static io.pgwalstream.replication.ServerWal.queryString;
import static io.pgwalstream.replication.ServerWal.replicationConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Following a timeline switch: a standby of a dedicated primary is promoted (timeline 2), then WAL
 * is streamed from the promoted server starting on timeline 1. The consumer gets timeline 1 up to
 * the switch point, a session start on timeline 2 at the switch point, then timeline 2 — without a
 * gap, byte for byte what the servers stored.
 */
@PostgresTest
@Timeout(300)
class PhysicalTimelineSwitchITCase {

    @EveryPostgresVersion
    void followsTheTimelineSwitchOfAPromotedStandby(PostgresVersion version) throws Exception {
        PostgresServer primary = PostgresServer.start(version);
        PostgresServer standby = null;
        try {
            primary.execute("CREATE TABLE t (id int, v text)");
            standby = PostgresServer.startStandbyOf(primary);
            PostgresServer promoted = standby;

            primary.execute("INSERT INTO t SELECT g, 'first' FROM generate_series(1, 200) g");
            Lsn start = flushLsn(primary);
            primary.execute("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 2000) g");
            Lsn lastOnTimeline1 = flushLsn(primary);
            awaitCondition(
                    "the standby replayed " + lastOnTimeline1,
                    () ->
                            !Lsn.parse(
                                            queryString(
                                                    promoted,
                                                    "SELECT pg_last_wal_replay_lsn()::text"))
                                    .isBefore(lastOnTimeline1));
            assertThat(queryString(standby, "SELECT pg_promote()")).isEqualTo("t");
            assertThat(ServerWal.identify(standby).timeline()).isEqualTo(2);

            // The switch point, from the history file as stored on the promoted server.
            TimelineHistory history;
            try (Connection c = standby.connect();
                    Statement s = c.createStatement();
                    ResultSet rs =
                            s.executeQuery(
                                    "SELECT pg_read_binary_file('pg_wal/00000002.history')")) {
                rs.next();
                history = TimelineHistory.parse(2, rs.getBytes(1));
            }
            Lsn switchPoint = history.endOf(1);
            assertThat(history.timelineOf(start)).isEqualTo(1);
            assertThat(switchPoint).isGreaterThanOrEqualTo(lastOnTimeline1);
            // The same history through TIMELINE_HISTORY on a replication connection.
            try (Connection c =
                    (Connection)
                            PgConnections.openPhysicalReplication(replicationConfig(standby))) {
                assertThat(TimelineHistory.read(c, 2)).isEqualTo(history);
            }

            standby.execute("INSERT INTO t SELECT g, 'second' FROM generate_series(1, 2000) g");
            Lsn onTimeline2 = flushLsn(standby);

            WalChunkSink sink = new WalChunkSink();
            try (ReplicationSession session =
                    ReplicationSession.physical(
                            replicationConfig(standby),
                            PhysicalStreamSpec.from(start),
                            FAST_RECONNECT,
                            SessionSettings.DEFAULT,
                            new LsnFeedback())) {
                drainUntil(session, sink, () -> !sink.dataEnd(2).isBefore(onTimeline2));
                assertThat(session.status().reconnects()).isEqualTo(1); // one timeline switch
            }

            assertThat(sink.sessionStarts)
                    .containsExactly(
                            new SessionStart(1, start, 1), new SessionStart(2, switchPoint, 2));
            // Timeline 1 from the requested start exactly up to the switch point, nothing after.
            assertThat(sink.chunksOf(1).get(0).start()).isEqualTo(start);
            assertThat(sink.dataEnd(1)).isEqualTo(switchPoint);
            byte[] timeline1 = sink.bytes(1, start, switchPoint);
            // Timeline 2 from the switch point: no gap, no overlap.
            assertThat(sink.chunksOf(2).get(0).start()).isEqualTo(switchPoint);
            byte[] timeline2 = sink.bytes(2, switchPoint, onTimeline2);

            try (Connection c = primary.connect()) {
                assertThat(timeline1)
                        .as("timeline 1 as the primary stored it")
                        .isEqualTo(ServerWal.read(c, 1, start, switchPoint));
            }
            try (Connection c = standby.connect()) {
                assertThat(timeline2)
                        .as("timeline 2 as the promoted standby stored it")
                        .isEqualTo(ServerWal.read(c, 2, switchPoint, onTimeline2));
            }

            // A reconnect before anything was confirmed replays from the start, back on timeline
            // 1, and crosses the switch again without a gap or overlap. The session's received
            // LSN is past the switch point by then, so today each timeline-1 session ends after
            // one chunk and the next one continues where it ended: more sessions, same WAL.
            WalChunkSink replay = new WalChunkSink();
            try (ReplicationSession session =
                    ReplicationSession.physical(
                            replicationConfig(standby),
                            PhysicalStreamSpec.from(start),
                            FAST_RECONNECT,
                            SessionSettings.DEFAULT,
                            new LsnFeedback())) {
                drainUntil(session, replay, () -> !replay.dataEnd(2).isBefore(onTimeline2));
                int streamed = replay.sessionStarts.size();
                String walsender =
                        queryString(
                                promoted,
                                "SELECT pid FROM pg_stat_replication"
                                        + " WHERE application_name = 'pg-walstream'");
                standby.execute("SELECT pg_terminate_backend(" + walsender + ")");
                drainUntil(
                        session,
                        replay,
                        () ->
                                replay.sessionStarts.size() > streamed
                                        && last(replay).timeline() == 2
                                        && !replay.dataEnd().isBefore(onTimeline2));

                assertThat(replay.sessionStarts.get(streamed))
                        .isEqualTo(new SessionStart(streamed + 1, start, 1));
                assertThat(replay.bytesAcrossSessions(streamed + 1, 1, start, switchPoint))
                        .isEqualTo(timeline1);
                assertThat(last(replay).startLsn()).isEqualTo(switchPoint);
                assertThat(replay.bytes(last(replay).sessionNumber(), switchPoint, onTimeline2))
                        .isEqualTo(timeline2);
            }

            // Starting at the switch point goes straight to timeline 2.
            WalChunkSink direct = new WalChunkSink();
            try (ReplicationSession session =
                    ReplicationSession.physical(
                            replicationConfig(standby),
                            PhysicalStreamSpec.from(switchPoint),
                            FAST_RECONNECT,
                            SessionSettings.DEFAULT,
                            new LsnFeedback())) {
                drainUntil(session, direct, () -> !direct.dataEnd().isBefore(onTimeline2));
            }
            assertThat(direct.sessionStarts).containsExactly(new SessionStart(1, switchPoint, 2));
            assertThat(direct.bytes(1, switchPoint, onTimeline2)).isEqualTo(timeline2);
        } finally {
            if (standby != null) {
                standby.close();
            }
            primary.close();
        }
    }

    /**
     * Streaming open-ended from a standby that is promoted mid-stream. Its walsender ends timeline
     * 1 with a CopyDone that pgjdbc does not surface; the session must notice the new timeline by
     * itself and go on with timeline 2 — no stall, no gap.
     */
    @EveryPostgresVersion
    void followsAStandbyThatIsPromotedWhileStreaming(PostgresVersion version) throws Exception {
        PostgresServer primary = PostgresServer.start(version);
        PostgresServer standby = null;
        try {
            primary.execute("CREATE TABLE t (id int, v text)");
            standby = PostgresServer.startStandbyOf(primary);
            PostgresServer replica = standby;
            Lsn start = flushLsn(primary);
            primary.execute("INSERT INTO t SELECT g, 'first' FROM generate_series(1, 2000) g");
            Lsn lastOnTimeline1 = flushLsn(primary);
            awaitCondition(
                    "the standby replayed " + lastOnTimeline1,
                    () ->
                            !Lsn.parse(
                                            queryString(
                                                    replica,
                                                    "SELECT pg_last_wal_replay_lsn()::text"))
                                    .isBefore(lastOnTimeline1));

            WalChunkSink sink = new WalChunkSink();
            try (ReplicationSession session =
                    ReplicationSession.physical(
                            replicationConfig(standby),
                            PhysicalStreamSpec.from(start)
                                    .withStatusInterval(Duration.ofSeconds(1)),
                            FAST_RECONNECT,
                            SessionSettings.DEFAULT,
                            new LsnFeedback())) {
                drainUntil(session, sink, () -> !sink.dataEnd(1).isBefore(lastOnTimeline1));

                assertThat(queryString(standby, "SELECT pg_promote()")).isEqualTo("t");
                standby.execute("INSERT INTO t SELECT g, 'second' FROM generate_series(1, 2000) g");
                Lsn onTimeline2 = flushLsn(standby);
                drainUntil(session, sink, () -> !sink.dataEnd(2).isBefore(onTimeline2));

                TimelineHistory history;
                try (Connection c =
                        (Connection)
                                PgConnections.openPhysicalReplication(replicationConfig(standby))) {
                    history = TimelineHistory.read(c, 2);
                }
                Lsn switchPoint = history.endOf(1);
                assertThat(sink.sessionStarts.get(0)).isEqualTo(new SessionStart(1, start, 1));
                assertThat(last(sink))
                        .isEqualTo(new SessionStart(sink.sessionStarts.size(), switchPoint, 2));
                assertThat(sink.dataEnd(1)).isEqualTo(switchPoint);
                try (Connection c = primary.connect()) {
                    assertThat(sink.bytesAcrossSessions(1, 1, start, switchPoint))
                            .as("timeline 1 as the primary stored it")
                            .isEqualTo(ServerWal.read(c, 1, start, switchPoint));
                }
                try (Connection c = standby.connect()) {
                    assertThat(sink.bytes(last(sink).sessionNumber(), switchPoint, onTimeline2))
                            .as("timeline 2 as the promoted standby stored it")
                            .isEqualTo(ServerWal.read(c, 2, switchPoint, onTimeline2));
                }
            }
        } finally {
            if (standby != null) {
                standby.close();
            }
            primary.close();
        }
    }

    private static SessionStart last(WalChunkSink sink) {
        return sink.sessionStarts.get(sink.sessionStarts.size() - 1);
    }
}
