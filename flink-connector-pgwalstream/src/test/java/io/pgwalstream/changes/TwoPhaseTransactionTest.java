package io.pgwalstream.changes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static io.pgwalstream.changes.Messages.ITEMS;
import static io.pgwalstream.changes.Messages.NO_XID;
import static io.pgwalstream.changes.Messages.OTHER;
import static io.pgwalstream.changes.Messages.abort;
import static io.pgwalstream.changes.Messages.begin;
import static io.pgwalstream.changes.Messages.beginPrepare;
import static io.pgwalstream.changes.Messages.commit;
import static io.pgwalstream.changes.Messages.commitPrepared;
import static io.pgwalstream.changes.Messages.insert;
import static io.pgwalstream.changes.Messages.origin;
import static io.pgwalstream.changes.Messages.prepare;
import static io.pgwalstream.changes.Messages.relation;
import static io.pgwalstream.changes.Messages.rollbackPrepared;
import static io.pgwalstream.changes.Messages.start;
import static io.pgwalstream.changes.Messages.stop;
import static io.pgwalstream.changes.Messages.streamPrepare;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two-phase transactions: held per gid until Commit Prepared or Rollback Prepared. */
@Timeout(10)
class TwoPhaseTransactionTest {

    static final int XID = 50;

    @TempDir Path spill;
    AssemblerHarness h;

    @BeforeEach
    void setUp() {
        h = new AssemblerHarness(spill);
        h.send(relation(NO_XID, ITEMS, "items", "id", "v"));
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private void prepareG1() {
        h.send(
                beginPrepare(0x400L, XID, "g1"),
                insert(NO_XID, ITEMS, "1", "p1"),
                insert(NO_XID, ITEMS, "2", "p2"),
                prepare(0x400L, XID, "g1"));
    }

    @Test
    void aPreparedTransactionIsEmittedAtCommitPreparedWithThatPosition() {
        prepareG1();
        assertThat(h.records).isEmpty();
        assertThat(h.assembler.hasPendingTransactions()).isTrue();

        h.send(commitPrepared(0x600L, XID, "g1"));

        assertThat(h.values()).containsExactly("I:p1", "I:p2");
        ChangeEvent first = h.events().get(0);
        assertThat(first.position()).isEqualTo(new ChangePosition(0x600L, 0x600L + 40, 1));
        assertThat(first.position().commitEndLsn()).isEqualTo(0x600L + 40);
        assertThat(first.transaction().gid()).isEqualTo("g1");
        assertThat(first.transaction().wasPrepared()).isTrue();
        assertThat(first.transaction().xid()).isEqualTo(XID);
        TransactionCommitted done = h.commits().get(0);
        assertThat(done.eventCount()).isEqualTo(2);
        assertThat(done.safeConfirmLsn()).isEqualTo(0x600L + 40);
        assertThat(h.assembler.hasPendingTransactions()).isFalse();
        assertThat(h.assembler.safeConfirmLsn(0x900L)).isEqualTo(0x900L);
    }

    @Test
    void confirmationIsHeldBackAtThePrepareUntilTheTransactionIsFullyHandedOut() {
        prepareG1();
        assertThat(h.assembler.safeConfirmLsn(0x900L)).isEqualTo(0x400L);
        assertThat(h.assembler.safeConfirmLsn(0x300L)).isEqualTo(0x300L);
        assertThat(h.assembler.keepaliveConfirmLsn(0x900L))
                .as("prepared transactions cap keepalives but do not block them")
                .isEqualTo(0x400L);

        h.send(begin(0x500L, 60), insert(NO_XID, ITEMS, "3", "o1"), commit(0x500L, 0x530L));
        assertThat(h.commits().get(0).safeConfirmLsn()).as("capped").isEqualTo(0x400L);

        h.accept(commitPrepared(0x600L, XID, "g1"));
        h.records.add(h.assembler.poll());
        assertThat(h.assembler.safeConfirmLsn(0x900L))
                .as("while Commit Prepared is being handed out")
                .isEqualTo(0x400L);
        h.drain();
        assertThat(h.assembler.safeConfirmLsn(0x900L)).isEqualTo(0x900L);
    }

    @Test
    void theOldestUnresolvedPrepareCaps() {
        h.send(
                beginPrepare(0x300L, 40, "older"),
                prepare(0x300L, 40, "older"),
                beginPrepare(0x400L, XID, "newer"),
                insert(NO_XID, ITEMS, "1", "p1"));
        assertThat(h.assembler.safeConfirmLsn(0x900L)).isEqualTo(0x300L);
        h.send(prepare(0x400L, XID, "newer"), commitPrepared(0x500L, 40, "older"));
        assertThat(h.commits().get(0).eventCount()).isZero();
        assertThat(h.commits().get(0).safeConfirmLsn()).isEqualTo(0x400L);
        assertThat(h.assembler.safeConfirmLsn(0x900L)).isEqualTo(0x400L);
    }

    @Test
    void aTransactionPreparedBeforeTwoPhaseAtArrivesWholeAtCommitPrepared() {
        // Begin Prepare…Prepare immediately followed by Commit Prepared.
        h.send(
                beginPrepare(0x300L, XID, "late"),
                origin("upstream"),
                insert(NO_XID, ITEMS, "1", "p1"),
                prepare(0x300L, XID, "late"),
                commitPrepared(0x900L, XID, "late"));

        assertThat(h.values()).containsExactly("I:p1");
        assertThat(h.events().get(0).position())
                .isEqualTo(new ChangePosition(0x900L, 0x900L + 40, 1));
        assertThat(h.events().get(0).transaction().originName()).isEqualTo("upstream");
        assertThat(h.commits().get(0).safeConfirmLsn()).isEqualTo(0x900L + 40);
        assertThat(h.assembler.hasPendingTransactions()).isFalse();
    }

    @Test
    void aStreamedPreparedTransactionIsEmittedAtCommitPrepared() {
        h.send(
                start(XID, true),
                relation(XID, OTHER, "other", "id", "v"),
                insert(XID, OTHER, "1", "s1"),
                insert(51, OTHER, "2", "aborted"),
                stop(),
                abort(XID, 51),
                start(XID, false),
                insert(XID, OTHER, "3", "s2"),
                stop(),
                streamPrepare(0x650L, XID, "g2"));
        assertThat(h.records).isEmpty();
        assertThat(h.assembler.safeConfirmLsn(0x900L)).isEqualTo(0x650L);
        assertThat(h.assembler.relations().relation(OTHER)).as("not before commit").isNull();

        h.send(commitPrepared(0x700L, XID, "g2"));

        assertThat(h.values()).containsExactly("I:s1", "I:s2");
        assertThat(h.events().get(1).position())
                .isEqualTo(new ChangePosition(0x700L, 0x700L + 40, 2));
        assertThat(h.assembler.relations().relation(OTHER)).as("promoted").isNotNull();
        assertThat(h.assembler.hasPendingTransactions()).isFalse();
    }

    @Test
    void aRolledBackStreamedPreparedTransactionLeavesNoSchema() {
        h.send(
                start(XID, true),
                relation(XID, OTHER, "other", "id", "v"),
                insert(XID, OTHER, "1", "s1"),
                stop(),
                streamPrepare(0x650L, XID, "g2"),
                rollbackPrepared(0x650L, 0x700L, XID, "g2"));

        assertThat(h.records).isEmpty();
        assertThat(h.assembler.relations().relation(OTHER)).isNull();
        assertThat(h.assembler.hasPendingTransactions()).isFalse();
    }

    @Test
    void rollbackPreparedDropsTheMatchingTransactionAndIgnoresOthers() throws IOException {
        try (AssemblerHarness tiny =
                new AssemblerHarness(Messages.OPTIONS, new AssemblerSettings(64, spill))) {
            tiny.send(
                    relation(NO_XID, ITEMS, "items", "id", "v"),
                    beginPrepare(0x400L, XID, "g1"),
                    insert(NO_XID, ITEMS, "1", "p1"),
                    prepare(0x400L, XID, "g1"));
            assertThat(spillFiles()).isOne();

            // Never seen (prepared before this client could see it): ignored safely.
            tiny.send(rollbackPrepared(0x100L, 0x200L, 7, "unknown"));
            // Same gid but another PREPARE (an earlier transaction that reused the gid): ignored.
            tiny.send(rollbackPrepared(0x380L, 0x390L, XID, "g1"));
            assertThat(tiny.assembler.metrics().ignoredRollbackPrepared()).isEqualTo(2);
            assertThat(tiny.assembler.hasPendingTransactions()).isTrue();

            tiny.send(rollbackPrepared(0x400L, 0x500L, XID, "g1"));

            assertThat(tiny.records).isEmpty();
            assertThat(tiny.assembler.hasPendingTransactions()).isFalse();
            assertThat(spillFiles()).isZero();
            assertThat(tiny.assembler.safeConfirmLsn(0x900L)).isEqualTo(0x900L);
        }
    }

    @Test
    void commitPreparedOfAnUnknownGidFailsInsteadOfLosingTheTransaction() {
        assertThatThrownBy(() -> h.send(commitPrepared(0x600L, XID, "nobody")))
                .isInstanceOf(ChangeAssemblyException.class)
                .hasMessageContaining("never received prepared");
    }

    @Test
    void commitPreparedWithAnotherXidFails() {
        prepareG1();
        assertThatThrownBy(() -> h.send(commitPrepared(0x600L, XID + 1, "g1")))
                .isInstanceOf(ChangeAssemblyException.class)
                .hasMessageContaining("prepared as xid");
    }

    @Test
    void aSecondPrepareOfAnUnresolvedGidFails() {
        prepareG1();
        assertThatThrownBy(() -> h.send(beginPrepare(0x500L, 51, "g1")))
                .isInstanceOf(ChangeAssemblyException.class);
    }

    @Test
    void aPrepareMustCloseItsBeginPrepare() {
        h.send(beginPrepare(0x400L, XID, "g1"));
        assertThatThrownBy(() -> h.send(prepare(0x400L, XID, "g2")))
                .isInstanceOf(ChangeAssemblyException.class);
        assertThatThrownBy(() -> h.send(begin(0x500L, 60)))
                .hasMessageContaining("inside Begin Prepare");
    }

    @Test
    void relationsAnnouncedInBeginPrepareAreTheSessionsAtOnce() {
        // Outside stream blocks the server counts the relation as sent right away.
        h.send(
                beginPrepare(0x400L, XID, "g1"),
                relation(NO_XID, OTHER, "other", "id", "v"),
                insert(NO_XID, OTHER, "1", "p1"),
                prepare(0x400L, XID, "g1"),
                begin(0x500L, 60),
                insert(NO_XID, OTHER, "2", "o1"),
                commit(0x500L, 0x530L),
                commitPrepared(0x600L, XID, "g1"));

        assertThat(h.values()).containsExactly("I:o1", "I:p1");
    }

    @Test
    void aPreparedChangeKeepsTheRelationShapeItArrivedWith() {
        prepareG1();
        // Before Commit Prepared the session learns a new shape of the table.
        h.send(
                relation(NO_XID, ITEMS, "items", "id", "v", "added"),
                begin(0x500L, 60),
                insert(NO_XID, ITEMS, "3", "o1", "x"),
                commit(0x500L, 0x530L),
                commitPrepared(0x600L, XID, "g1"));

        assertThat(h.values()).containsExactly("I:o1", "I:p1", "I:p2");
        assertThat(h.events()).extracting(e -> e.relation().columnCount()).containsExactly(3, 2, 2);
    }

    @Test
    void anUnknownRelationInBeginPrepareFailsOnArrival() {
        h.send(beginPrepare(0x400L, XID, "g1"));
        assertThatThrownBy(() -> h.send(insert(NO_XID, OTHER, "1", "p1")))
                .isInstanceOf(UnknownRelationException.class);
    }

    @Test
    void resetDropsPreparedTransactionsBecauseTheServerSendsThemAgain() {
        prepareG1();
        h.assembler.reset();
        assertThat(h.assembler.hasPendingTransactions()).isFalse();
        assertThat(h.assembler.safeConfirmLsn(0x900L)).isEqualTo(0x900L);

        // The new session starts at or before the PREPARE (confirmation was held back there).
        h.send(relation(NO_XID, ITEMS, "items", "id", "v"));
        prepareG1();
        h.send(commitPrepared(0x600L, XID, "g1"));
        assertThat(h.values()).containsExactly("I:p1", "I:p2");
    }

    private long spillFiles() throws IOException {
        return SpillDirectories.spillFiles(spill).size();
    }
}
