package io.pgwalstream.replication;

import io.pgwalstream.protocol.Commit;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.testing.postgres.EveryPostgresVersion;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The replication session against real servers: streaming, back-pressure, feedback, reconnects. */
@PostgresTest
@Timeout(180)
class ReplicationSessionITCase {

    private static final ReconnectPolicy FAST_RECONNECT =
            new ReconnectPolicy(
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1),
                    2.0,
                    0.2,
                    10,
                    Duration.ofMinutes(1));

    @EveryPostgresVersion
    void streamsCommittedTransactions(PostgresServer pg) throws Exception {
        Fixture f = Fixture.create(pg, "stream");
        f.sql("INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 100) g");
        try (ReplicationSession session = f.start(FAST_RECONNECT, Map.of())) {
            DecodingSink sink = f.sink();
            f.sql("INSERT INTO t VALUES (101, 'last')");
            drainUntil(session, sink, () -> sink.insertedValues(0).size() == 101);

            assertThat(sink.insertedValues(0)).first().isEqualTo("1");
            assertThat(sink.insertedValues(1)).last().isEqualTo("last");
            assertThat(sink.sessionStarts).hasSize(1);
            assertThat(session.status().receivedLsn().isValid()).isTrue();
        }
    }

    @Test
    void aConsumerThatTakesNothingDoesNotCostTheConnection(PostgresServer pg) throws Exception {
        Fixture f = Fixture.create(pg, "backpressure");
        Map<String, String> fiveSecondTimeout = Map.of("options", "-c wal_sender_timeout=5s");
        SessionSettings tinyBuffer =
                new SessionSettings(
                        50,
                        1 << 20,
                        Duration.ofMillis(200),
                        Duration.ofMinutes(1),
                        SessionSettings.DEFAULT.receiveLinger(),
                        SessionSettings.DEFAULT.slotReleaseWait(),
                        SessionSettings.DEFAULT.receiveTimeout());
        try (ReplicationSession session =
                f.start(FAST_RECONNECT, fiveSecondTimeout, tinyBuffer, Duration.ofSeconds(10))) {
            assertThat(session.awaitStreaming(Duration.ofSeconds(30))).isTrue();
            for (int batch = 0; batch < 20; batch++) {
                f.sql(
                        "INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series("
                                + (batch * 1000 + 1)
                                + ", "
                                + (batch * 1000 + 1000)
                                + ") g");
            }
            int walsender = f.activePid();
            assertThat(f.showWith(fiveSecondTimeout, "wal_sender_timeout")).isEqualTo("5s");

            // Take nothing for 30 s: six wal_sender_timeouts.
            CountDownLatch never = new CountDownLatch(1);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < end) {
                assertThat(never.await(1, TimeUnit.SECONDS)).isFalse();
                assertThat(f.activePid()).as("same walsender").isEqualTo(walsender);
            }
            assertThat(session.status().bufferedMessages()).isEqualTo(50);

            DecodingSink sink = f.sink();
            drainUntil(session, sink, () -> sink.insertedValues(0).size() == 20_000);
            assertThat(f.activePid()).isEqualTo(walsender);
            assertThat(session.status().sessions()).isEqualTo(1);
        }
    }

    @Test
    void theSlotMovesOnlyWhenFeedbackAdvances(PostgresServer pg) throws Exception {
        Fixture f = Fixture.create(pg, "feedback");
        Lsn before = f.confirmedFlush();
        try (ReplicationSession session =
                f.start(
                        FAST_RECONNECT,
                        Map.of(),
                        SessionSettings.DEFAULT,
                        Duration.ofMillis(200))) {
            DecodingSink sink = f.sink();
            for (int i = 0; i < 50; i++) {
                f.sql("INSERT INTO t VALUES (" + i + ", 'x')");
            }
            f.sql("CREATE TABLE unpublished (id int)", "INSERT INTO unpublished VALUES (1)");
            drainUntil(session, sink, () -> sink.commits().size() == 50);
            // Keepalives arrive and status updates go out for a while, with nothing confirmed.
            drainUntil(session, sink, () -> sink.keepalives.size() >= 3);
            assertThat(f.confirmedFlush()).isEqualTo(before);

            Commit tenth = sink.commits().get(9);
            session.feedback().advanceFlushed(Lsn.of(tenth.endLsn()));
            awaitCondition(() -> f.confirmedFlush().equals(Lsn.of(tenth.endLsn())));
            assertThat(session.status().confirmedLsn()).isEqualTo(Lsn.of(tenth.endLsn()));

            // Going backwards is ignored.
            assertThat(session.feedback().advanceFlushed(Lsn.of(sink.commits().get(2).endLsn())))
                    .isFalse();
        }
    }

    @Test
    void aTerminatedWalsenderReconnectsFromTheConfirmedLsn(PostgresServer pg) throws Exception {
        Fixture f = Fixture.create(pg, "reconnect");
        try (ReplicationSession session = f.start(FAST_RECONNECT, Map.of())) {
            DecodingSink sink = f.sink();
            for (int i = 1; i <= 10; i++) {
                f.sql("INSERT INTO t VALUES (" + i + ", 'before')");
            }
            drainUntil(session, sink, () -> sink.commits().size() == 10);
            Lsn confirmed = Lsn.of(sink.commits().get(4).endLsn());
            session.feedback().advanceFlushed(confirmed);
            awaitCondition(() -> f.confirmedFlush().equals(confirmed));

            int oldPid = f.activePid();
            f.sql("SELECT pg_terminate_backend(" + oldPid + ")");
            f.sql("INSERT INTO t VALUES (11, 'after')");

            drainUntil(session, sink, () -> sink.insertedValues(0).contains("11"));
            assertThat(sink.sessionStarts).containsExactly(Lsn.INVALID, confirmed);
            assertThat(session.status().reconnects()).isEqualTo(1);
            // The new session replays what was not confirmed: rows 6..10, then 11.
            List<String> ids = sink.insertedValues(0);
            assertThat(ids.subList(10, ids.size())).containsExactly("6", "7", "8", "9", "10", "11");
            assertThat(f.activePid()).isNotEqualTo(oldPid);
        }
    }

    /**
     * A walsender that stops answering (SIGSTOP: its socket stays open, like a half-open TCP
     * connection after a partition) is given up after the receive timeout, although the stream was
     * idle and healthy before; once it is gone the session resumes from the confirmed LSN.
     */
    @Test
    void aSilentServerIsGivenUpAfterTheReceiveTimeoutAndTheSessionResumes(PostgresServer pg)
            throws Exception {
        Fixture f = Fixture.create(pg, "silent");
        SessionSettings settings =
                SessionSettings.DEFAULT.withReceiveTimeout(Duration.ofSeconds(3));
        // Enough attempts to outlast the stopped walsender's hold on the slot.
        ReconnectPolicy patient =
                new ReconnectPolicy(
                        Duration.ofMillis(100),
                        Duration.ofSeconds(1),
                        2.0,
                        0.2,
                        60,
                        Duration.ofMinutes(1));
        try (ReplicationSession session =
                f.start(patient, Map.of(), settings, Duration.ofSeconds(1))) {
            DecodingSink sink = f.sink();
            f.sql("INSERT INTO t VALUES (1, 'before')");
            drainUntil(session, sink, () -> sink.insertedValues(0).contains("1"));
            Lsn confirmed = Lsn.of(sink.commits().get(0).endLsn());
            session.feedback().advanceFlushed(confirmed);
            awaitCondition(() -> f.confirmedFlush().equals(confirmed));
            // Idle: only the replies to our requests (one per half timeout) come in. Two of them
            // span more than the timeout, and the healthy stream stays up.
            int keepalives = sink.keepalives.size();
            drainUntil(session, sink, () -> sink.keepalives.size() >= keepalives + 2);
            assertThat(session.status().reconnects()).isZero();

            int pid = f.activePid();
            signal("STOP", pid);
            try {
                // Past the timeout the session drops the connection. While the stopped walsender
                // holds the slot the new one cannot start; once resumed it sees its client gone.
                awaitCondition(() -> session.status().failures() > 0);
            } finally {
                signal("CONT", pid);
            }
            f.sql("INSERT INTO t VALUES (2, 'after')");
            drainUntil(session, sink, () -> sink.insertedValues(0).contains("2"));
            assertThat(sink.insertedValues(0)).containsExactly("1", "2");
            assertThat(session.status().reconnects()).isGreaterThanOrEqualTo(1);
            assertThat(f.activePid()).isNotEqualTo(pid);
        }
    }

    private static void signal(String signal, int pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Integer.toString(pid)).start();
        assertThat(kill.waitFor()).as("kill -%s %s", signal, pid).isZero();
    }

    @Test
    void aDroppedSlotIsOneClearErrorNotARetryLoop(PostgresServer pg) throws Exception {
        Fixture f = Fixture.create(pg, "dropped");
        ReconnectPolicy slowFirstRetry =
                new ReconnectPolicy(
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(2),
                        1.0,
                        0.0,
                        10,
                        Duration.ofMinutes(1));
        try (ReplicationSession session = f.start(slowFirstRetry, Map.of())) {
            assertThat(session.awaitStreaming(Duration.ofSeconds(30))).isTrue();
            f.sql("SELECT pg_terminate_backend(" + f.activePid() + ")");
            awaitCondition(f::dropSlotIfInactive);

            DecodingSink sink = f.sink();
            assertThatThrownBy(() -> drainUntil(session, sink, () -> false))
                    .isInstanceOf(ReplicationException.class)
                    .hasMessageContaining(f.slot)
                    .hasMessageContaining("does not exist")
                    .hasMessageContaining("create it")
                    .extracting(e -> ((ReplicationException) e).sqlState())
                    .isEqualTo("42704");
            assertThat(session.status().sessions()).isEqualTo(1);
            // The failure is final: polling again reports it again, without a new attempt.
            assertThatThrownBy(() -> session.poll(sink, 10, Duration.ofMillis(10)))
                    .isInstanceOf(ReplicationException.class);
        }
    }

    /**
     * The walsender of a task that just went away still holds the slot when its replacement
     * connects: the first connection waits for it, within a bound, instead of failing.
     */
    @Test
    void aSlotStillHeldByAnotherWalsenderIsAwaitedOnTheFirstConnection(PostgresServer pg)
            throws Exception {
        Fixture f = Fixture.create(pg, "released");
        try (ReplicationSession holder = f.start(FAST_RECONNECT, Map.of())) {
            assertThat(holder.awaitStreaming(Duration.ofSeconds(30))).isTrue();
            try (ReplicationSession next =
                    f.start(
                            FAST_RECONNECT,
                            Map.of(),
                            SessionSettings.DEFAULT.withSlotReleaseWait(Duration.ofSeconds(30)),
                            Duration.ofSeconds(10))) {
                assertThat(next.awaitStreaming(Duration.ofSeconds(2))).isFalse();
                holder.close();
                assertThat(next.awaitStreaming(Duration.ofSeconds(30))).isTrue();
                DecodingSink sink = f.sink();
                f.sql("INSERT INTO t VALUES (1, 'after the release')");
                drainUntil(next, sink, () -> sink.insertedValues(1).contains("after the release"));
            }
        }
    }

    /** A slot held for longer than the wait is a second consumer: one clear error. */
    @Test
    void aSlotHeldLongerThanTheWaitIsOneClearError(PostgresServer pg) throws Exception {
        Fixture f = Fixture.create(pg, "held");
        try (ReplicationSession holder = f.start(FAST_RECONNECT, Map.of())) {
            assertThat(holder.awaitStreaming(Duration.ofSeconds(30))).isTrue();
            try (ReplicationSession next =
                    f.start(
                            FAST_RECONNECT,
                            Map.of(),
                            SessionSettings.DEFAULT.withSlotReleaseWait(Duration.ofSeconds(1)),
                            Duration.ofSeconds(10))) {
                assertThatThrownBy(() -> next.awaitStreaming(Duration.ofSeconds(30)))
                        .isInstanceOf(ReplicationException.class)
                        .hasMessageContaining("in use by another process")
                        .extracting(e -> ((ReplicationException) e).sqlState())
                        .isEqualTo("55006");
                assertThat(next.status().sessions()).isZero();
            }
        }
    }

    @Test
    void aWrongPasswordFailsClearlyWithoutShowingIt(PostgresServer pg) throws Exception {
        Fixture f = Fixture.create(pg, "password");
        f.sql("GRANT CREATE ON DATABASE " + f.database + " TO " + PostgresServer.SCRAM_USER);
        PgConnectionConfig wrong =
                PgConnectionConfig.of(pg.host(), pg.port(), f.database, PostgresServer.SCRAM_USER)
                        .withPassword("Sup3r-Secret-Wrong");
        try (ReplicationSession session =
                ReplicationSession.logical(
                        wrong,
                        f.spec(Duration.ofSeconds(10)),
                        FAST_RECONNECT,
                        SessionSettings.DEFAULT,
                        new LsnFeedback())) {
            assertThatThrownBy(() -> session.awaitStreaming(Duration.ofSeconds(30)))
                    .isInstanceOf(ReplicationException.class)
                    .hasMessageContaining("authentication failed")
                    .hasMessageContaining("check the user name and password")
                    .satisfies(e -> assertThat(stackText(e)).doesNotContain("Sup3r-Secret-Wrong"));
            assertThat(wrong.toString()).doesNotContain("Sup3r-Secret-Wrong");
        }
        // And the right password streams.
        PgConnectionConfig right = wrong.withPassword(PostgresServer.SCRAM_PASSWORD);
        try (ReplicationSession session =
                ReplicationSession.logical(
                        right,
                        f.spec(Duration.ofSeconds(10)),
                        FAST_RECONNECT,
                        SessionSettings.DEFAULT,
                        new LsnFeedback())) {
            assertThat(session.awaitStreaming(Duration.ofSeconds(30))).isTrue();
        }
    }

    @Test
    void aLostTemporarySlotIsAnErrorUnlessAccepted(PostgresServer pg) throws Exception {
        Fixture f = Fixture.create(pg, "temporary");
        f.dropSlotIfInactive();
        LogicalStreamSpec spec =
                f.spec(Duration.ofSeconds(10))
                        .withTemporarySlot(LogicalSlotSpec.of(f.slot).withTemporary(true), false);
        try (ReplicationSession session =
                ReplicationSession.logical(
                        f.config(Map.of()),
                        spec,
                        FAST_RECONNECT,
                        SessionSettings.DEFAULT,
                        new LsnFeedback())) {
            assertThat(session.awaitStreaming(Duration.ofSeconds(30))).isTrue();
            assertThat(f.isTemporarySlot()).isTrue();
            f.sql("SELECT pg_terminate_backend(" + f.activePid() + ")");
            DecodingSink sink = f.sink();
            assertThatThrownBy(() -> drainUntil(session, sink, () -> false))
                    .isInstanceOf(ReplicationException.class)
                    .hasMessageContaining("temporary slot '" + f.slot + "' was dropped")
                    .hasMessageContaining("permanent slot");
        }
        try (ReplicationSession session =
                ReplicationSession.logical(
                        f.config(Map.of()),
                        spec.withTemporarySlot(spec.temporarySlot(), true),
                        FAST_RECONNECT,
                        SessionSettings.DEFAULT,
                        new LsnFeedback())) {
            assertThat(session.awaitStreaming(Duration.ofSeconds(30))).isTrue();
            awaitCondition(() -> f.activePidOrZero() != 0);
            f.sql("SELECT pg_terminate_backend(" + f.activePid() + ")");
            awaitCondition(() -> session.status().sessions() == 2);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void drainUntil(
            ReplicationSession session, DecodingSink sink, BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out draining").isLessThan(deadline);
            session.poll(sink, 1000, Duration.ofMillis(100));
        }
    }

    private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        CountDownLatch pacing = new CountDownLatch(1);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 30 s").isLessThan(deadline);
            pacing.await(50, TimeUnit.MILLISECONDS);
        }
    }

    private static String stackText(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    /** A database with a published table and a pgoutput slot. */
    private static final class Fixture {
        final PostgresServer pg;
        final String database;
        final String slot;

        private Fixture(PostgresServer pg, String database, String slot) {
            this.pg = pg;
            this.database = database;
            this.slot = slot;
        }

        static Fixture create(PostgresServer pg, String name) throws SQLException {
            String database = pg.createDatabase("session_" + name);
            Fixture f = new Fixture(pg, database, database + "_slot");
            f.sql(
                    "CREATE TABLE t (id int PRIMARY KEY, v text)",
                    "CREATE PUBLICATION pub FOR TABLE t",
                    "SELECT pg_create_logical_replication_slot('" + f.slot + "', 'pgoutput')");
            return f;
        }

        PgOutputOptions options() {
            return PgOutputOptions.of(pg.version().maxProtoVersion());
        }

        DecodingSink sink() {
            return new DecodingSink(options());
        }

        LogicalStreamSpec spec(Duration statusInterval) {
            return LogicalStreamSpec.of(slot, List.of("pub"), options())
                    .withStatusInterval(statusInterval);
        }

        PgConnectionConfig config(Map<String, String> driverProperties) {
            return PgConnectionConfig.of(pg.host(), pg.port(), database, PostgresServer.SUPERUSER)
                    .withDriverProperties(driverProperties);
        }

        ReplicationSession start(ReconnectPolicy policy, Map<String, String> props) {
            return start(policy, props, SessionSettings.DEFAULT, Duration.ofSeconds(10));
        }

        ReplicationSession start(
                ReconnectPolicy policy,
                Map<String, String> props,
                SessionSettings settings,
                Duration statusInterval) {
            return ReplicationSession.logical(
                    config(props), spec(statusInterval), policy, settings, new LsnFeedback());
        }

        void sql(String... statements) throws SQLException {
            try (Connection c = pg.connect(database);
                    java.sql.Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
        }

        private String slotColumn(String column) throws SQLException {
            try (Connection c = pg.connect(database);
                    PreparedStatement s =
                            c.prepareStatement(
                                    "SELECT "
                                            + column
                                            + " FROM pg_replication_slots WHERE slot_name = ?")) {
                s.setString(1, slot);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }

        Lsn confirmedFlush() {
            try {
                return Lsn.parse(slotColumn("confirmed_flush_lsn::text"));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        int activePidOrZero() {
            try {
                String pid = slotColumn("active_pid");
                return pid == null ? 0 : Integer.parseInt(pid);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        int activePid() throws InterruptedException {
            awaitCondition(() -> activePidOrZero() != 0);
            return activePidOrZero();
        }

        boolean isTemporarySlot() throws SQLException {
            return "t".equals(slotColumn("temporary"));
        }

        /** SHOW on a connection opened with the same driver properties as the session's. */
        String showWith(Map<String, String> props, String setting) throws SQLException {
            try (Connection c = PgConnections.openSql(config(props));
                    java.sql.Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW " + setting)) {
                rs.next();
                return rs.getString(1);
            }
        }

        boolean dropSlotIfInactive() {
            try {
                sql("SELECT pg_drop_replication_slot('" + slot + "')");
                return true;
            } catch (SQLException e) {
                return false;
            }
        }
    }
}
