package io.pgwalstream.replication;

import io.pgwalstream.protocol.Insert;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgOutputDecoder;
import io.pgwalstream.protocol.PgOutputMessage;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.testing.postgres.EveryPostgresVersion;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.replication.PGReplicationStream;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link PgSlotManager} against real PostgreSQL 14–18. */
@PostgresTest
@Timeout(180)
class PgSlotManagerITCase {

    private static final boolean[] BOTH = {false, true};
    private static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * Every logical option combination the version allows creates a slot whose catalog row shows
     * exactly what was asked; temporary slots live as long as the manager's connection.
     */
    @EveryPostgresVersion
    void everyValidLogicalCombinationCreatesTheSlotItAsksFor(PostgresServer pg)
            throws SQLException {
        int major = pg.version().major();
        List<LogicalSlotSpec> temporaries = new ArrayList<>();
        try (TestSlots slots = new TestSlots(pg, "slot_logical")) {
            try (PgSlotManager manager = slots.manager()) {
                List<LogicalSlotSpec> specs = validLogicalSpecs(slots, major);
                assertThat(specs).hasSize(major >= 17 ? 18 : major >= 15 ? 12 : 6);
                for (LogicalSlotSpec spec : specs) {
                    CreatedSlot created = manager.createLogical(spec);
                    SlotInfo info = manager.describe(spec.name()).orElseThrow();

                    assertThat(created.slotName()).isEqualTo(spec.name());
                    assertThat(created.outputPlugin()).isEqualTo("pgoutput");
                    assertThat(created.consistentPoint().isValid()).isTrue();
                    assertThat(created.snapshotName() != null)
                            .as("snapshot exported for %s", spec)
                            .isEqualTo(spec.snapshot() == SnapshotAction.EXPORT);
                    assertThat(info.name()).isEqualTo(spec.name());
                    assertThat(info.type()).isEqualTo(SlotType.LOGICAL);
                    assertThat(info.plugin()).isEqualTo("pgoutput");
                    assertThat(info.database()).isEqualTo(slots.database());
                    assertThat(info.temporary())
                            .as("temporary of %s", spec)
                            .isEqualTo(spec.temporary());
                    assertThat(info.twoPhase())
                            .as("two_phase of %s", spec)
                            .isEqualTo(spec.twoPhase());
                    assertThat(info.failover())
                            .as("failover of %s", spec)
                            .isEqualTo(spec.failover());
                    assertThat(info.confirmedFlushLsn()).isEqualTo(created.consistentPoint());
                    assertThat(info.restartLsn().isValid()).isTrue();
                    assertThat(info.restartLsn()).isLessThanOrEqualTo(info.confirmedFlushLsn());
                    assertThat(info.walStatus()).isEqualTo("reserved");
                    assertThat(info.invalidated()).isFalse();
                    assertThat(info.conflicting()).isEqualTo(major >= 16 ? Boolean.FALSE : null);
                    assertThat(info.invalidationReason()).isNull();
                    // A temporary slot stays acquired by the session that created it.
                    assertThat(info.active()).isEqualTo(spec.temporary());
                    assertThat(info.activePid() != null).isEqualTo(spec.temporary());
                    if (spec.temporary()) {
                        temporaries.add(spec);
                    } else {
                        manager.drop(spec.name(), false);
                        assertThat(manager.describe(spec.name())).isEmpty();
                    }
                }
            }
            try (PgSlotManager other = slots.manager()) {
                assertThat(temporaries).isNotEmpty();
                for (LogicalSlotSpec spec : temporaries) {
                    // The server drops a temporary slot when the owning backend exits, which
                    // happens shortly after the client closed the connection.
                    TestSlots.await(
                            Duration.ofSeconds(30),
                            spec + " dropped after close",
                            () -> other.describe(spec.name()).isEmpty());
                }
            }
        }
    }

    private static List<LogicalSlotSpec> validLogicalSpecs(TestSlots slots, int major) {
        List<LogicalSlotSpec> specs = new ArrayList<>();
        for (boolean temporary : BOTH) {
            for (SnapshotAction snapshot : SnapshotAction.values()) {
                for (boolean twoPhase : BOTH) {
                    for (boolean failover : BOTH) {
                        boolean valid =
                                (!twoPhase || major >= 15)
                                        && (!failover || (major >= 17 && !temporary));
                        if (valid) {
                            specs.add(
                                    new LogicalSlotSpec(
                                            slots.name("logical"),
                                            temporary,
                                            snapshot,
                                            twoPhase,
                                            failover));
                        }
                    }
                }
            }
        }
        return specs;
    }

    /** Physical slots with and without reserved WAL, permanent and temporary. */
    @EveryPostgresVersion
    void everyPhysicalCombinationCreatesTheSlotItAsksFor(PostgresServer pg) throws SQLException {
        try (TestSlots slots = new TestSlots(pg, "slot_physical");
                PgSlotManager manager = slots.manager()) {
            for (boolean temporary : BOTH) {
                for (boolean reserveWal : BOTH) {
                    PhysicalSlotSpec spec =
                            new PhysicalSlotSpec(slots.name("physical"), temporary, reserveWal);
                    CreatedSlot created = manager.createPhysical(spec);
                    SlotInfo info = manager.describe(spec.name()).orElseThrow();

                    assertThat(created.slotName()).isEqualTo(spec.name());
                    assertThat(created.outputPlugin()).isNull();
                    assertThat(created.snapshotName()).isNull();
                    assertThat(info.type()).isEqualTo(SlotType.PHYSICAL);
                    assertThat(info.plugin()).isNull();
                    assertThat(info.database()).isNull();
                    assertThat(info.temporary()).isEqualTo(temporary);
                    assertThat(info.restartLsn().isValid())
                            .as("restart_lsn of %s", spec)
                            .isEqualTo(reserveWal);
                    assertThat(info.walStatus() != null).isEqualTo(reserveWal);
                    assertThat(info.confirmedFlushLsn()).isEqualTo(Lsn.INVALID);
                    assertThat(info.twoPhase()).isFalse();
                    assertThat(info.failover()).isFalse();
                    assertThat(info.invalidated()).isFalse();
                    if (!temporary) {
                        manager.drop(spec.name(), false);
                    }
                }
            }
        }
    }

    /**
     * Options the version lacks fail with the typed error, and no slot appears: the command is
     * refused before it is sent.
     */
    @EveryPostgresVersion
    void invalidCombinationsFailBeforeReachingTheServer(PostgresServer pg) throws SQLException {
        int major = pg.version().major();
        try (TestSlots slots = new TestSlots(pg, "slot_invalid");
                PgSlotManager manager = slots.manager()) {
            String name = slots.name("invalid");
            for (SnapshotAction snapshot : SnapshotAction.values()) {
                LogicalSlotSpec base = LogicalSlotSpec.of(name).withSnapshot(snapshot);
                if (major < 15) {
                    assertUnsupported(
                            () -> manager.createLogical(base.withTwoPhase(true)),
                            ReplicationFeature.TWO_PHASE);
                }
                if (major < 17) {
                    assertUnsupported(
                            () -> manager.createLogical(base.withFailover(true)),
                            ReplicationFeature.FAILOVER_SLOTS);
                }
                assertThatThrownBy(() -> base.withTemporary(true).withFailover(true))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(name)
                        .hasMessageContaining("temporary slot cannot be a failover slot");
            }
            assertThat(manager.describe(name)).isEmpty();
        }
    }

    private static void assertUnsupported(Runnable call, ReplicationFeature feature) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        UnsupportedServerFeatureException.class,
                        e -> assertThat(e.feature()).isEqualTo(feature))
                .hasMessageContaining("PostgreSQL " + feature.sinceMajor() + " or newer");
    }

    /**
     * SNAPSHOT 'export': another session can import the snapshot while the manager is idle, and
     * sees the data as of the slot's consistent point; the manager's next command ends it.
     */
    @EveryPostgresVersion
    void exportedSnapshotIsUsableUntilTheManagersNextCommand(PostgresServer pg)
            throws SQLException {
        try (TestSlots slots = new TestSlots(pg, "slot_export");
                Connection sql = slots.sql();
                PgSlotManager manager = slots.manager()) {
            run(sql, "CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            String name = slots.name("export");
            CreatedSlot created =
                    manager.createLogical(
                            LogicalSlotSpec.of(name).withSnapshot(SnapshotAction.EXPORT));
            run(sql, "INSERT INTO t VALUES (2)");

            assertThat(created.snapshotName()).isNotBlank();
            assertThat(idsInSnapshot(sql, created.snapshotName())).containsExactly(1);

            manager.describe(name);
            assertThatThrownBy(() -> idsInSnapshot(sql, created.snapshotName()))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("snapshot");
        }
    }

    private static List<Integer> idsInSnapshot(Connection sql, String snapshot)
            throws SQLException {
        try (Statement s = sql.createStatement()) {
            s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            try {
                s.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
                return ids(sql);
            } finally {
                s.execute("ROLLBACK");
            }
        }
    }

    /**
     * SNAPSHOT 'use': the reader sees exactly the rows committed before the slot, and the slot
     * streams exactly those committed after — no gap, no duplicate.
     */
    @EveryPostgresVersion
    void useSnapshotAndTheSlotTogetherSeeEveryRowOnce(PostgresServer pg) throws SQLException {
        try (TestSlots slots = new TestSlots(pg, "slot_use");
                Connection sql = slots.sql();
                PgSlotManager manager = slots.manager()) {
            run(
                    sql,
                    "CREATE TABLE t (id int PRIMARY KEY)",
                    "CREATE PUBLICATION pub FOR TABLE t",
                    "INSERT INTO t VALUES (1)");
            String name = slots.name("use");

            List<Integer> snapshotRows =
                    manager.createLogicalInSnapshot(
                            LogicalSlotSpec.of(name).withSnapshot(SnapshotAction.USE),
                            (connection, slot) -> {
                                assertThat(slot.slotName()).isEqualTo(name);
                                assertThat(slot.snapshotName()).isNull();
                                run(sql, "INSERT INTO t VALUES (2)");
                                return ids(connection);
                            });

            assertThat(snapshotRows).containsExactly(1);
            assertThat(insertedIds(sql, name)).containsExactly("2");
            // The snapshot transaction is over: the connection takes commands again.
            assertThat(manager.describe(name)).isPresent();
        }
    }

    /** A failing reader drops the new slot, and the manager stays usable. */
    @Test
    void failingSnapshotReaderDropsTheNewSlot(PostgresServer pg) throws SQLException {
        try (TestSlots slots = new TestSlots(pg, "slot_use_fail");
                PgSlotManager manager = slots.manager()) {
            LogicalSlotSpec first =
                    LogicalSlotSpec.of(slots.name("use_fail")).withSnapshot(SnapshotAction.USE);
            assertThatThrownBy(
                            () ->
                                    manager.createLogicalInSnapshot(
                                            first, (c, slot) -> ids(c) /* no table t */))
                    .isInstanceOfSatisfying(
                            SlotException.class,
                            e -> {
                                assertThat(e.reason()).isEqualTo(SlotException.Reason.FAILED);
                                assertThat(e.sqlState()).isEqualTo("42P01");
                            })
                    .hasMessageContaining(first.name())
                    .hasMessageContaining("dropped again");
            assertThat(manager.describe(first.name())).isEmpty();

            LogicalSlotSpec second = first.withTemporary(true);
            IllegalStateException own = new IllegalStateException("reader gave up");
            assertThatThrownBy(
                            () ->
                                    manager.createLogicalInSnapshot(
                                            second,
                                            (c, slot) -> {
                                                throw own;
                                            }))
                    .isSameAs(own);
            assertThat(manager.describe(second.name())).isEmpty();

            assertThat(manager.createLogical(first.withSnapshot(SnapshotAction.NOTHING)).slotName())
                    .isEqualTo(first.name());
            assertThatThrownBy(
                            () ->
                                    manager.createLogicalInSnapshot(
                                            LogicalSlotSpec.of(slots.name("x")), (c, s) -> s))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("SnapshotAction.USE");
        }
    }

    /** Creating a slot that exists and dropping one that does not give typed errors. */
    @EveryPostgresVersion
    void existingAndMissingSlotsGiveTypedErrors(PostgresServer pg) throws SQLException {
        try (TestSlots slots = new TestSlots(pg, "slot_errors");
                PgSlotManager manager = slots.manager()) {
            String logical = slots.name("dup");
            String physical = slots.name("dup_physical");
            manager.createLogical(LogicalSlotSpec.of(logical));
            manager.createPhysical(PhysicalSlotSpec.of(physical));

            for (Runnable duplicate :
                    List.<Runnable>of(
                            () -> manager.createLogical(LogicalSlotSpec.of(logical)),
                            () -> manager.createLogical(LogicalSlotSpec.of(physical)),
                            () ->
                                    manager.createLogicalInSnapshot(
                                            LogicalSlotSpec.of(logical)
                                                    .withSnapshot(SnapshotAction.USE),
                                            (c, s) -> s),
                            () -> manager.createPhysical(PhysicalSlotSpec.of(logical)))) {
                assertThatThrownBy(duplicate::run)
                        .isInstanceOfSatisfying(
                                SlotException.class,
                                e -> {
                                    assertThat(e.reason())
                                            .isEqualTo(SlotException.Reason.ALREADY_EXISTS);
                                    assertThat(e.sqlState()).isEqualTo("42710");
                                })
                        .hasMessageContaining("already exists")
                        .hasMessageContaining("choose another slot name");
            }
            // The failed 'use' attempt rolled its transaction back: the connection still works.
            manager.drop(logical, false);
            manager.drop(physical, true);

            String missing = slots.name("missing");
            for (boolean wait : BOTH) {
                assertThatThrownBy(() -> manager.drop(missing, wait))
                        .isInstanceOfSatisfying(
                                SlotException.class,
                                e -> {
                                    assertThat(e.reason())
                                            .isEqualTo(SlotException.Reason.NOT_FOUND);
                                    assertThat(e.slotName()).isEqualTo(missing);
                                    assertThat(e.sqlState()).isEqualTo("42704");
                                })
                        .hasMessageContaining("'" + missing + "' does not exist")
                        .hasMessageContaining(pg.host() + ":" + pg.port());
            }
            assertThat(manager.describe(missing)).isEmpty();
        }
    }

    /**
     * Without WAIT, dropping a slot in use fails; with WAIT, the drop blocks until the consumer
     * lets go and then succeeds.
     */
    @EveryPostgresVersion
    void dropWaitsForAnActiveSlotOnlyWhenAsked(PostgresServer pg) throws Exception {
        try (TestSlots slots = new TestSlots(pg, "slot_drop_wait");
                Connection sql = slots.sql();
                PgSlotManager manager = slots.manager()) {
            run(sql, "CREATE TABLE t (id int PRIMARY KEY)", "CREATE PUBLICATION pub FOR TABLE t");
            String name = slots.name("busy");
            manager.createLogical(LogicalSlotSpec.of(name));

            Connection consumer = (Connection) PgConnections.openLogicalReplication(slots.config());
            PGReplicationStream stream =
                    consumer.unwrap(PGConnection.class)
                            .getReplicationAPI()
                            .replicationStream()
                            .logical()
                            .withSlotName(name)
                            .withSlotOption("proto_version", "1")
                            .withSlotOption("publication_names", "pub")
                            .start();
            CompletableFuture<Void> drop;
            try {
                TestSlots.await(
                        WAIT,
                        "the consumer holds the slot",
                        () -> describe(manager, name).active());
                int consumerPid = describe(manager, name).activePid();

                assertThatThrownBy(() -> manager.drop(name, false))
                        .isInstanceOfSatisfying(
                                SlotException.class,
                                e -> assertThat(e.reason()).isEqualTo(SlotException.Reason.ACTIVE))
                        .hasMessageContaining("'" + name + "'")
                        .hasMessageContaining(Integer.toString(consumerPid))
                        .hasMessageContaining("wait");

                try (PgSlotManager dropper = slots.manager()) {
                    drop = CompletableFuture.runAsync(() -> dropper.drop(name, true));
                    TestSlots.await(
                            WAIT,
                            "DROP_REPLICATION_SLOT WAIT waits for the slot",
                            () -> waitsForSlotDrop(sql));
                    assertThat(drop).isNotDone();
                    stream.close();
                    consumer.close();
                    drop.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
            } finally {
                consumer.close();
            }
            assertThat(manager.describe(name)).isEmpty();
        }
    }

    /** A temporary slot is held by its creator: others cannot drop it, and it dies with it. */
    @Test
    void temporarySlotIsActiveForItsCreatorAndVanishesOnClose(PostgresServer pg)
            throws SQLException {
        try (TestSlots slots = new TestSlots(pg, "slot_temp");
                PgSlotManager other = slots.manager()) {
            String name = slots.name("temp");
            try (PgSlotManager owner = slots.manager()) {
                owner.createLogical(LogicalSlotSpec.of(name).withTemporary(true));
                assertThat(other.describe(name)).get().extracting(SlotInfo::active).isEqualTo(true);
                assertThatThrownBy(() -> other.drop(name, false))
                        .isInstanceOfSatisfying(
                                SlotException.class,
                                e -> {
                                    assertThat(e.reason()).isEqualTo(SlotException.Reason.ACTIVE);
                                    assertThat(e.sqlState()).isEqualTo("55006");
                                });
            }
            TestSlots.await(
                    WAIT, "the temporary slot is gone", () -> describe(other, name) == null);
        }
    }

    /** Slot names PostgreSQL would reject fail in the client, naming the offending character. */
    @Test
    void invalidSlotNamesFailInTheClient(PostgresServer pg) throws SQLException {
        try (TestSlots slots = new TestSlots(pg, "slot_names");
                PgSlotManager manager = slots.manager()) {
            for (String bad :
                    List.of(
                            "Upper",
                            "with space",
                            "quo\"te",
                            "ümlaut",
                            "dash-ed",
                            "x".repeat(64),
                            "")) {
                assertThatThrownBy(() -> manager.describe(bad))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> manager.drop(bad, false))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> LogicalSlotSpec.of(bad))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> PhysicalSlotSpec.of(bad))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> manager.describe("Orders"))
                    .hasMessageContaining("contains 'O'");
        }
    }

    /** A REPLICATION role that logs in with SCRAM can manage slots: no superuser needed. */
    @Test
    void replicationRoleWithScramManagesSlots(PostgresServer pg) throws SQLException {
        try (TestSlots slots = new TestSlots(pg, "slot_scram")) {
            PgConnectionConfig config =
                    PgConnectionConfig.of(
                                    pg.host(),
                                    pg.port(),
                                    slots.database(),
                                    PostgresServer.SCRAM_USER)
                            .withPassword(PostgresServer.SCRAM_PASSWORD);
            try (PgSlotManager manager = PgSlotManager.open(config)) {
                assertThat(manager.serverVersion().major()).isEqualTo(pg.version().major());
                String name = slots.name("scram");
                manager.createLogical(LogicalSlotSpec.of(name));
                assertThat(manager.describe(name)).isPresent();
                manager.drop(name, false);
                assertThat(manager.describe(name)).isEmpty();
            }
        }
    }

    private static SlotInfo describe(SlotManager manager, String name) {
        return manager.describe(name).orElse(null);
    }

    private static boolean waitsForSlotDrop(Connection sql) {
        try (Statement s = sql.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT count(*) FROM pg_stat_activity"
                                        + " WHERE wait_event = 'ReplicationSlotDrop'")) {
            rs.next();
            return rs.getInt(1) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(Connection connection, String... statements) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static List<Integer> ids(Connection connection) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM t ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }

    /** The first column of every Insert the slot holds, decoded with our pgoutput decoder. */
    private static List<String> insertedIds(Connection sql, String slot) throws SQLException {
        List<String> ids = new ArrayList<>();
        PgOutputDecoder decoder = new PgOutputDecoder(PgOutputOptions.of(1));
        try (PreparedStatement s =
                sql.prepareStatement(
                        "SELECT lsn::text, data FROM pg_logical_slot_peek_binary_changes(?, NULL,"
                                + " NULL, 'proto_version', '1', 'publication_names', 'pub')")) {
            s.setString(1, slot);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    PgOutputMessage message =
                            decoder.decode(rs.getBytes(2), Lsn.parse(rs.getString(1)).value());
                    if (message instanceof Insert insert) {
                        ids.add(insert.newTuple().valueAsString(0));
                    }
                }
            }
        }
        return ids;
    }
}
