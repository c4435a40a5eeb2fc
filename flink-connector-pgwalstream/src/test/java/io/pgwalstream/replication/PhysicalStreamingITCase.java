package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.testing.postgres.EveryPostgresVersion;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static io.pgwalstream.replication.ServerWal.FAST_RECONNECT;
import static io.pgwalstream.replication.ServerWal.awaitCondition;
import static io.pgwalstream.replication.ServerWal.drainUntil;
import static io.pgwalstream.replication.ServerWal.flushLsn;
import static io.pgwalstream.replication.ServerWal.queryString;
import static io.pgwalstream.replication.ServerWal.replicationConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Physical streaming against real servers: the bytes, the slot, reconnects, errors. */
@PostgresTest
@Timeout(180)
class PhysicalStreamingITCase {

    @EveryPostgresVersion
    void streamsTheServersWalBytesWithoutASlot(PostgresServer pg) throws Exception {
        assertStreamsTheServersWal(pg, null);
    }

    @EveryPostgresVersion
    void streamsTheServersWalBytesThroughAPhysicalSlot(PostgresServer pg) throws Exception {
        String slot = createReservingSlot(pg, "physical_bytes");
        try {
            assertStreamsTheServersWal(pg, slot);
        } finally {
            dropSlotWhenInactive(pg, slot);
        }
    }

    /**
     * Streams a range of WAL that lies in one segment and compares it with the segment file: the
     * first chunk starts exactly at the requested (unaligned) LSN, chunks are contiguous, the bytes
     * are the server's, and the session names the server's timeline.
     */
    private static void assertStreamsTheServersWal(PostgresServer pg, String slot)
            throws Exception {
        String db = pg.createDatabase("physical_bytes");
        long timeline = ServerWal.identify(pg).timeline();
        Lsn from;
        Lsn to;
        try (Connection c = pg.connect(db)) {
            sql(c, "CREATE TABLE t (id int, v text)");
            long segmentSize = ServerWal.segmentSize(c);
            int attempt = 0;
            do {
                assertThat(++attempt).as("a WAL range within one segment").isLessThan(5);
                // A fresh segment leaves room for the whole range; a first insert makes the
                // start an LSN in the middle of a page.
                sql(
                        c,
                        "SELECT pg_switch_wal()",
                        "INSERT INTO t SELECT g, 'before' FROM generate_series(1, 50) g");
                from = flushLsn(c);
                sql(c, "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 3000) g");
                to = flushLsn(c);
            } while (!ServerWal.segmentFileName(timeline, from, segmentSize)
                    .equals(ServerWal.segmentFileName(timeline, to.plus(-1), segmentSize)));
            assertThat(ServerWal.segmentFileName(timeline, from, segmentSize))
                    .isEqualTo(queryString(pg, "SELECT pg_walfile_name('" + from + "'::pg_lsn)"));
            assertThat(from.value() % 8192).as("an unaligned start").isNotZero();
        }

        WalChunkSink sink = new WalChunkSink();
        PhysicalStreamSpec spec = PhysicalStreamSpec.from(from).withSlot(slot);
        Lsn end = to;
        try (ReplicationSession session =
                ReplicationSession.physical(
                        replicationConfig(pg),
                        spec,
                        FAST_RECONNECT,
                        SessionSettings.DEFAULT,
                        new LsnFeedback())) {
            drainUntil(session, sink, () -> !sink.dataEnd().isBefore(end));
            if (slot != null) {
                assertThat(queryString(pg, slotQuery("active", slot))).isEqualTo("t");
            }
        }

        assertThat(sink.sessionStarts).containsExactly(new SessionStart(1, from, timeline));
        assertThat(sink.chunks.get(0).start())
                .as("first chunk starts at the request")
                .isEqualTo(from);
        byte[] streamed = sink.bytes(1, from, to);
        byte[] stored;
        try (Connection c = pg.connect()) {
            stored = ServerWal.read(c, timeline, from, to);
        }
        assertThat(streamed).hasSize((int) (to.value() - from.value())).isEqualTo(stored);
    }

    @Test
    void flushFeedbackMovesTheSlotsRestartLsnOnlyWhenItAdvances(PostgresServer pg)
            throws Exception {
        String slot = createReservingSlot(pg, "physical_feedback");
        try {
            Lsn reserved = restartLsn(pg, slot);
            pg.execute("CREATE TABLE IF NOT EXISTS physical_feedback (v text)");
            pg.execute(
                    "INSERT INTO physical_feedback SELECT md5(g::text) FROM generate_series(1,"
                            + " 2000) g");
            Lsn to = flushLsn(pg);
            WalChunkSink sink = new WalChunkSink();
            try (ReplicationSession session =
                    ReplicationSession.physical(
                            replicationConfig(pg),
                            PhysicalStreamSpec.from(reserved)
                                    .withSlot(slot)
                                    .withStatusInterval(Duration.ofMillis(200)),
                            FAST_RECONNECT,
                            SessionSettings.DEFAULT,
                            new LsnFeedback())) {
                drainUntil(session, sink, () -> !sink.dataEnd().isBefore(to));
                int walsender = Integer.parseInt(queryString(pg, slotQuery("active_pid", slot)));

                // Status updates keep going out (reply_time moves) without moving the slot.
                Set<String> replies = new HashSet<>();
                awaitCondition(
                        "three status updates",
                        () -> {
                            session.poll(sink, 1000, Duration.ofMillis(10));
                            replies.add(
                                    queryString(
                                            pg,
                                            "SELECT reply_time::text FROM pg_stat_replication"
                                                    + " WHERE pid = "
                                                    + walsender));
                            return replies.size() >= 4;
                        });
                assertThat(restartLsn(pg, slot)).isEqualTo(reserved);

                Lsn confirmed = sink.chunks.get(sink.chunks.size() / 2).start();
                assertThat(confirmed).isGreaterThan(reserved);
                assertThat(session.feedback().advanceFlushed(confirmed)).isTrue();
                awaitCondition(
                        "restart_lsn at " + confirmed,
                        () -> restartLsn(pg, slot).equals(confirmed));
                assertThat(session.status().confirmedLsn()).isEqualTo(confirmed);

                // Going back is ignored, and the slot stays.
                assertThat(session.feedback().advanceFlushed(reserved)).isFalse();
                Set<String> more = new HashSet<>();
                awaitCondition(
                        "more status updates",
                        () -> {
                            more.add(
                                    queryString(
                                            pg,
                                            "SELECT reply_time::text FROM pg_stat_replication"
                                                    + " WHERE pid = "
                                                    + walsender));
                            return more.size() >= 3;
                        });
                assertThat(restartLsn(pg, slot)).isEqualTo(confirmed);
            }
        } finally {
            dropSlotWhenInactive(pg, slot);
        }
    }

    @Test
    void aTerminatedWalsenderResumesAtTheFlushedLsn(PostgresServer pg) throws Exception {
        String slot = createReservingSlot(pg, "physical_resume");
        try {
            Lsn from = restartLsn(pg, slot);
            pg.execute("CREATE TABLE IF NOT EXISTS physical_resume (v text)");
            pg.execute(
                    "INSERT INTO physical_resume SELECT md5(g::text) FROM generate_series(1, 2000)"
                            + " g");
            Lsn to = flushLsn(pg);
            WalChunkSink sink = new WalChunkSink();
            try (ReplicationSession session =
                    ReplicationSession.physical(
                            replicationConfig(pg),
                            PhysicalStreamSpec.from(from).withSlot(slot),
                            FAST_RECONNECT,
                            SessionSettings.DEFAULT,
                            new LsnFeedback())) {
                drainUntil(session, sink, () -> !sink.dataEnd().isBefore(to));
                Lsn confirmed = sink.chunks.get(sink.chunks.size() / 2).end();
                session.feedback().advanceFlushed(confirmed);
                awaitCondition(
                        "restart_lsn confirmed", () -> restartLsn(pg, slot).equals(confirmed));

                String walsender = queryString(pg, slotQuery("active_pid", slot));
                pg.execute("SELECT pg_terminate_backend(" + walsender + ")");
                pg.execute("INSERT INTO physical_resume VALUES ('after')");
                Lsn after = flushLsn(pg);
                drainUntil(
                        session,
                        sink,
                        () -> sink.sessionStarts.size() == 2 && !sink.dataEnd().isBefore(after));

                assertThat(sink.sessionStarts.get(1))
                        .isEqualTo(
                                new SessionStart(
                                        2, confirmed, sink.sessionStarts.get(0).timeline()));
                assertThat(sink.chunksOf(2).get(0).start()).isEqualTo(confirmed);
                // The replayed WAL is the same as the first time.
                assertThat(sink.bytes(2, confirmed, to)).isEqualTo(sink.bytes(1, confirmed, to));
            }
        } finally {
            dropSlotWhenInactive(pg, slot);
        }
    }

    @Test
    void aStartAheadOfTheServerFailsWithTheServersReason(PostgresServer pg) throws Exception {
        Lsn ahead = flushLsn(pg).plus(1L << 30);
        try (ReplicationSession session =
                ReplicationSession.physical(
                        replicationConfig(pg),
                        PhysicalStreamSpec.from(ahead),
                        FAST_RECONNECT,
                        SessionSettings.DEFAULT,
                        new LsnFeedback())) {
            // The server answers START_REPLICATION with CopyBoth first and the error right after,
            // so the consumer learns it from poll.
            WalChunkSink sink = new WalChunkSink();
            assertThatThrownBy(() -> drainUntil(session, sink, () -> false))
                    .isInstanceOf(ReplicationException.class)
                    .hasMessageContaining("physical stream (no slot)")
                    .hasMessageContaining(ahead.toString())
                    .hasMessageContaining("ahead of the WAL flush position");
            assertThat(session.status().sessions()).as("no retry").isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Creates a physical slot with RESERVE_WAL over a replication connection. */
    private static String createReservingSlot(PostgresServer pg, String prefix)
            throws SQLException {
        String slot = prefix + "_" + System.nanoTime();
        ServerVersion server = new ServerVersion(pg.serverVersionNum());
        try (Connection c =
                        (Connection) PgConnections.openPhysicalReplication(replicationConfig(pg));
                Statement s = c.createStatement()) {
            s.execute(SlotCommands.createPhysical(PhysicalSlotSpec.of(slot), server));
        }
        return slot;
    }

    private static Lsn restartLsn(PostgresServer pg, String slot) throws SQLException {
        return Lsn.parse(queryString(pg, slotQuery("restart_lsn::text", slot)));
    }

    private static String slotQuery(String column, String slot) {
        return "SELECT " + column + " FROM pg_replication_slots WHERE slot_name = '" + slot + "'";
    }

    private static void dropSlotWhenInactive(PostgresServer pg, String slot) throws Exception {
        awaitCondition(
                "slot " + slot + " inactive",
                () -> "f".equals(queryString(pg, slotQuery("active", slot))));
        pg.execute("SELECT pg_drop_replication_slot('" + slot + "')");
    }

    private static void sql(Connection c, String... statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
