package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.testing.postgres.PostgresServer;

import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test helpers for physical replication: a server's WAL bytes read with SQL, WAL positions, and
 * waiting on conditions and on a session.
 */
final class ServerWal {

    static final ReconnectPolicy FAST_RECONNECT =
            new ReconnectPolicy(
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1),
                    2.0,
                    0.2,
                    10,
                    Duration.ofMinutes(1));

    private ServerWal() {}

    static PgConnectionConfig replicationConfig(PostgresServer pg) {
        return PgConnectionConfig.of(pg.host(), pg.port(), "postgres", PostgresServer.SUPERUSER);
    }

    /** {@code wal_segment_size} in bytes. */
    static long segmentSize(Connection c) throws SQLException {
        return queryLong(
                c, "SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'");
    }

    static Lsn flushLsn(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_current_wal_flush_lsn()::text")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        }
    }

    static Lsn flushLsn(PostgresServer pg) throws SQLException {
        try (Connection c = pg.connect()) {
            return flushLsn(c);
        }
    }

    /** The server's timeline, from IDENTIFY_SYSTEM on a physical replication connection. */
    static SystemIdentity identify(PostgresServer pg) throws SQLException {
        try (Connection c =
                (Connection) PgConnections.openPhysicalReplication(replicationConfig(pg))) {
            return SystemIdentity.read(c);
        }
    }

    /**
     * The name of the WAL segment file of {@code timeline} holding {@code lsn} (the server's {@code
     * XLogFileName}). Computed here because {@code pg_walfile_name} names the preceding segment for
     * an LSN at a segment boundary and always uses the server's current timeline.
     */
    static String segmentFileName(long timeline, Lsn lsn, long segmentSize) {
        long segNo = Long.divideUnsigned(lsn.value(), segmentSize);
        long segmentsPerId = 0x1_0000_0000L / segmentSize;
        return String.format(
                "%08X%08X%08X", timeline, segNo / segmentsPerId, segNo % segmentsPerId);
    }

    /**
     * The WAL {@code [from, to)} of {@code timeline} as stored in the server's {@code pg_wal}, read
     * with {@code pg_read_binary_file}, segment by segment.
     */
    static byte[] read(Connection c, long timeline, Lsn from, Lsn to) throws SQLException {
        long segmentSize = segmentSize(c);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PreparedStatement s =
                c.prepareStatement("SELECT pg_read_binary_file('pg_wal/' || ?, ?, ?)")) {
            Lsn at = from;
            while (at.isBefore(to)) {
                long offset = Long.remainderUnsigned(at.value(), segmentSize);
                long length = Math.min(segmentSize - offset, to.value() - at.value());
                s.setString(1, segmentFileName(timeline, at, segmentSize));
                s.setLong(2, offset);
                s.setLong(3, length);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    byte[] piece = rs.getBytes(1);
                    assertThat(piece).as("WAL read at %s", at).hasSize((int) length);
                    out.writeBytes(piece);
                }
                at = at.plus(length);
            }
        }
        return out.toByteArray();
    }

    static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String queryString(PostgresServer pg, String sql) throws SQLException {
        try (Connection c = pg.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Polls the session into {@code sink} until {@code done}, failing after 60 s. */
    static void drainUntil(ReplicationSession session, MessageSink sink, BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out draining").isLessThan(deadline);
            session.poll(sink, 1000, Duration.ofMillis(100));
        }
    }

    /** Waits until {@code condition} holds, failing after 60 s. */
    static void awaitCondition(String what, CheckedCondition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        CountDownLatch pacing = new CountDownLatch(1);
        while (!condition.holds()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            pacing.await(50, TimeUnit.MILLISECONDS);
        }
    }

    @FunctionalInterface
    interface CheckedCondition {
        boolean holds() throws Exception;
    }
}
