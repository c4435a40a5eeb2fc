package io.pgwalstream.changes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

import static io.pgwalstream.changes.Messages.ITEMS;
import static io.pgwalstream.changes.Messages.NO_XID;
import static io.pgwalstream.changes.Messages.OTHER;
import static io.pgwalstream.changes.Messages.abort;
import static io.pgwalstream.changes.Messages.begin;
import static io.pgwalstream.changes.Messages.commit;
import static io.pgwalstream.changes.Messages.insert;
import static io.pgwalstream.changes.Messages.message;
import static io.pgwalstream.changes.Messages.origin;
import static io.pgwalstream.changes.Messages.relation;
import static io.pgwalstream.changes.Messages.start;
import static io.pgwalstream.changes.Messages.stop;
import static io.pgwalstream.changes.Messages.streamCommit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Streamed (in-progress) transactions: buffered per top-level xid until Stream Commit. */
@Timeout(10)
class StreamedTransactionTest {

    static final int TOP = 100;
    static final int SUB_A = 101;
    static final int SUB_B = 102;

    @TempDir Path spill;
    AssemblerHarness h;

    @BeforeEach
    void setUp() {
        h = new AssemblerHarness(spill);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void interleavedStreamsAndAnOrdinaryTransactionComeOutInCommitOrder() {
        h.send(
                start(TOP, true),
                relation(TOP, ITEMS, "items", "id", "v"),
                insert(TOP, ITEMS, "1", "a1"),
                insert(TOP, ITEMS, "2", "a2"),
                stop(),
                start(200, true),
                relation(200, ITEMS, "items", "id", "v"),
                insert(200, ITEMS, "3", "b1"),
                stop(),
                begin(0x500L, 300),
                relation(NO_XID, ITEMS, "items", "id", "v"),
                insert(NO_XID, ITEMS, "4", "c1"),
                commit(0x500L, 0x530L),
                start(TOP, false),
                insert(TOP, ITEMS, "5", "a3"),
                stop());
        assertThat(h.values()).as("only the ordinary transaction so far").containsExactly("I:c1");
        assertThat(h.assembler.hasPendingTransactions()).isTrue();

        h.send(streamCommit(200, 0x600L, 0x630L), streamCommit(TOP, 0x700L, 0x730L));

        assertThat(h.values()).containsExactly("I:c1", "I:b1", "I:a1", "I:a2", "I:a3");
        assertThat(h.records.stream().map(r -> r.transaction().xid()))
                .containsExactly(300, 300, 200, 200, TOP, TOP, TOP, TOP);
        ChangeEvent b1 = h.events().get(1);
        assertThat(b1.position()).isEqualTo(new ChangePosition(0x600L, 0x630L, 1));
        assertThat(b1.position().commitEndLsn()).isEqualTo(0x630L);
        assertThat(b1.transaction().commitEndLsn()).isEqualTo(0x630L);
        assertThat(h.events().get(4).position()).isEqualTo(new ChangePosition(0x700L, 0x730L, 3));
        assertThat(h.commits())
                .extracting(TransactionCommitted::eventCount, TransactionCommitted::safeConfirmLsn)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, 0x530L),
                        org.assertj.core.groups.Tuple.tuple(1L, 0x630L),
                        org.assertj.core.groups.Tuple.tuple(3L, 0x730L));
        OrdinaryTransactionTest.assertPositionsIncrease(h);
        assertThat(h.assembler.hasPendingTransactions()).isFalse();
        assertThat(h.assembler.metrics().bufferedTransactions()).isZero();
    }

    @Test
    void aCommittedStreamIsHandedOutOneEventAtATime() {
        h.send(start(TOP, true), relation(TOP, ITEMS, "items", "id", "v"));
        for (int i = 0; i < 5; i++) {
            h.send(insert(TOP, ITEMS, Integer.toString(i), "v" + i));
        }
        h.send(stop());
        h.accept(streamCommit(TOP, 0x700L, 0x730L));

        assertThat(h.assembler.hasOutput()).isTrue();
        assertThat(h.assembler.poll()).isInstanceOf(ChangeEvent.class);
        assertThatThrownBy(() -> h.accept(begin(0x800L, 1)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(h.assembler.hasPendingTransactions()).isTrue();
        int rest = h.assembler.drainTo(h.records::add, 3);
        assertThat(rest).isEqualTo(3);
        h.drain();
        assertThat(h.records).hasSize(5).last().isInstanceOf(TransactionCommitted.class);
    }

    @ParameterizedTest(name = "inner abort first: {0}")
    @ValueSource(booleans = {true, false})
    void rollingBackAnOuterSavepointDiscardsItsNestedSubtransactionsInEitherAbortOrder(
            boolean innerFirst) {
        h.send(
                start(TOP, true),
                relation(TOP, ITEMS, "items", "id", "v"),
                insert(TOP, ITEMS, "1", "t1"),
                insert(SUB_A, ITEMS, "2", "a1"),
                insert(SUB_B, ITEMS, "3", "b1"),
                stop());
        if (innerFirst) {
            h.send(abort(TOP, SUB_B), abort(TOP, SUB_A));
        } else {
            h.send(abort(TOP, SUB_A), abort(TOP, SUB_B));
        }
        h.send(
                start(TOP, false),
                insert(TOP, ITEMS, "4", "t2"),
                stop(),
                streamCommit(TOP, 0x700L, 0x730L));

        assertThat(h.values()).containsExactly("I:t1", "I:t2");
        assertThat(h.events()).extracting(e -> e.position().index()).containsExactly(1L, 2L);
    }

    @Test
    void rollingBackAnInnerSavepointKeepsTheOuterOnesChanges() {
        h.send(
                start(TOP, true),
                relation(TOP, ITEMS, "items", "id", "v"),
                insert(TOP, ITEMS, "1", "t1"),
                insert(SUB_A, ITEMS, "2", "a1"),
                insert(SUB_B, ITEMS, "3", "b1"),
                insert(SUB_B, ITEMS, "4", "b2"),
                stop(),
                abort(TOP, SUB_B),
                start(TOP, false),
                insert(SUB_A, ITEMS, "5", "a2"),
                insert(TOP, ITEMS, "6", "t2"),
                stop(),
                streamCommit(TOP, 0x700L, 0x730L));

        assertThat(h.values()).containsExactly("I:t1", "I:a1", "I:a2", "I:t2");
    }

    @Test
    void aReleasedInnerSubtransactionGoesWithItsRolledBackParent() {
        // SAVEPOINT a; INSERT; SAVEPOINT b; INSERT; RELEASE b; INSERT; ROLLBACK TO a
        h.send(
                start(TOP, true),
                relation(TOP, ITEMS, "items", "id", "v"),
                insert(TOP, ITEMS, "1", "t1"),
                insert(SUB_A, ITEMS, "2", "a1"),
                insert(SUB_B, ITEMS, "3", "b1"),
                insert(SUB_A, ITEMS, "4", "a2"),
                stop(),
                abort(TOP, SUB_A),
                abort(TOP, SUB_B),
                start(TOP, false),
                insert(103, ITEMS, "5", "c1"),
                stop(),
                streamCommit(TOP, 0x700L, 0x730L));

        assertThat(h.values()).containsExactly("I:t1", "I:c1");
    }

    @Test
    void anAbortOfASubtransactionThatStreamedNothingChangesNothing() {
        h.send(
                start(TOP, true),
                relation(TOP, ITEMS, "items", "id", "v"),
                insert(TOP, ITEMS, "1", "t1"),
                stop(),
                abort(TOP, 555),
                streamCommit(TOP, 0x700L, 0x730L));

        assertThat(h.values()).containsExactly("I:t1");
        assertThat(h.assembler.metrics().strayStreamAborts()).isZero();
    }

    @Test
    void aWholeAbortDiscardsEverything() {
        h.send(
                start(TOP, true),
                relation(TOP, ITEMS, "items", "id", "v"),
                insert(TOP, ITEMS, "1", "t1"),
                insert(SUB_A, ITEMS, "2", "a1"),
                stop(),
                start(TOP, false),
                insert(TOP, ITEMS, "3", "t2"),
                stop());
        assertThat(h.assembler.metrics().bufferedTransactions()).isEqualTo(1);

        h.send(abort(TOP, TOP));

        assertThat(h.records).isEmpty();
        assertThat(h.assembler.metrics().bufferedTransactions()).isZero();
        assertThat(h.assembler.hasPendingTransactions()).isFalse();
        assertThat(h.assembler.metrics().bufferedBytesInMemory()).isZero();
        assertThatThrownBy(() -> h.send(streamCommit(TOP, 0x700L, 0x730L)))
                .isInstanceOf(ChangeAssemblyException.class)
                .hasMessageContaining("never received");
    }

    @Test
    void aFirstSegmentAgainDropsThePartialTransaction() {
        // After a reconnect the server streams the transaction again from its start.
        h.send(
                start(TOP, true),
                relation(TOP, ITEMS, "items", "id", "v"),
                insert(TOP, ITEMS, "1", "first try"),
                insert(TOP, ITEMS, "2", "first try 2"),
                stop(),
                start(TOP, true),
                relation(TOP, ITEMS, "items", "id", "v"),
                insert(TOP, ITEMS, "1", "again"),
                stop(),
                streamCommit(TOP, 0x700L, 0x730L));

        assertThat(h.values()).containsExactly("I:again");
        assertThat(h.assembler.metrics().restartedStreams()).isEqualTo(1);
    }

    @Test
    void aContinuationOfAnUnknownStreamFails() {
        assertThatThrownBy(() -> h.send(start(TOP, false)))
                .isInstanceOf(ChangeAssemblyException.class)
                .hasMessageContaining("first segment");
    }

    @Test
    void strayAbortsAreIgnored() {
        // PostgreSQL 18 has been seen sending these for transactions it never streamed.
        h.send(abort(999, 999), abort(999, 1000));

        assertThat(h.records).isEmpty();
        assertThat(h.assembler.metrics().strayStreamAborts()).isEqualTo(2);
        assertThat(h.assembler.hasPendingTransactions()).isFalse();
    }

    @Test
    void theOriginAfterTheFirstStreamStartIsTheTransactions() {
        h.send(
                start(TOP, true),
                origin("upstream"),
                relation(TOP, ITEMS, "items", "id", "v"),
                insert(TOP, ITEMS, "1", "t1"),
                stop(),
                streamCommit(TOP, 0x700L, 0x730L));

        assertThat(h.events().get(0).transaction().originName()).isEqualTo("upstream");
    }

    @Test
    void transactionalMessagesAreBufferedWithTheirTransactionOthersAreNot() {
        h.send(
                start(TOP, true),
                message(TOP, true, 0x650L, "inside"),
                stop(),
                message(NO_XID, false, 0x660L, "outside"),
                streamCommit(TOP, 0x700L, 0x730L));

        assertThat(h.values()).containsExactly("M:outside", "M:inside");
        assertThat(h.events().get(1).transaction().xid()).isEqualTo(TOP);
        OrdinaryTransactionTest.assertPositionsIncrease(h);
    }

    @Test
    void aStreamedRelationIsVisibleToItsOwnChangesOnlyUntilCommit() {
        h.send(
                start(TOP, true),
                relation(TOP, ITEMS, "items", "id", "v"),
                insert(TOP, ITEMS, "1", "t1"),
                stop(),
                begin(0x500L, 300));
        // An ordinary transaction in between gets its own Relation from the server; without it the
        // streamed one must not be used.
        assertThatThrownBy(() -> h.send(insert(NO_XID, ITEMS, "2", "o1")))
                .isInstanceOf(UnknownRelationException.class);
        assertThat(h.assembler.relations().relation(ITEMS)).isNull();
    }

    @Test
    void aStreamedRelationBecomesTheSessionsAtCommit() {
        h.send(
                start(TOP, true),
                relation(TOP, ITEMS, "items", "id", "v"),
                insert(TOP, ITEMS, "1", "t1"),
                stop(),
                streamCommit(TOP, 0x700L, 0x730L),
                begin(0x800L, 300),
                insert(NO_XID, ITEMS, "2", "o1"),
                commit(0x800L, 0x830L));

        assertThat(h.values()).containsExactly("I:t1", "I:o1");
        assertThat(h.assembler.relations().relation(ITEMS)).isNotNull();
    }

    @Test
    void anAbortedStreamedDdlLeavesNoSchema() {
        h.send(
                start(TOP, true),
                relation(TOP, OTHER, "created_in_txn", "id", "v"),
                insert(TOP, OTHER, "1", "t1"),
                stop(),
                abort(TOP, TOP),
                begin(0x800L, 300));

        assertThat(h.assembler.relations().relation(OTHER)).isNull();
        assertThatThrownBy(() -> h.send(insert(NO_XID, OTHER, "2", "o1")))
                .isInstanceOf(UnknownRelationException.class);
    }

    @Test
    void eachChangeSeesTheRelationVersionAnnouncedBeforeIt() {
        h.send(
                relation(NO_XID, ITEMS, "items", "id"),
                start(TOP, true),
                relation(TOP, ITEMS, "items", "id", "v"),
                insert(TOP, ITEMS, "1", "before alter"),
                relation(TOP, ITEMS, "items", "id", "v", "added"),
                insert(TOP, ITEMS, "2", "after alter", "x"),
                stop(),
                streamCommit(TOP, 0x700L, 0x730L));

        assertThat(h.events()).extracting(e -> e.relation().columnCount()).containsExactly(2, 3);
        assertThat(h.assembler.relations().relation(ITEMS).columnCount()).isEqualTo(3);
    }

    @Test
    void aRelationAnnouncedInAnAbortedSubtransactionGoesWithIt() {
        // The server forgets it sent the schema after any stream abort and sends it again.
        h.send(
                start(TOP, true),
                relation(SUB_A, ITEMS, "items", "id", "v", "sub"),
                insert(SUB_A, ITEMS, "1", "a1", "x"),
                stop(),
                abort(TOP, SUB_A),
                start(TOP, false),
                relation(TOP, ITEMS, "items", "id", "v"),
                insert(TOP, ITEMS, "2", "t1"),
                stop(),
                streamCommit(TOP, 0x700L, 0x730L));

        assertThat(h.values()).containsExactly("I:t1");
        assertThat(h.assembler.relations().relation(ITEMS).columnCount()).isEqualTo(2);
    }

    @Test
    void anUnknownRelationInAStreamFailsAtCommit() {
        h.send(start(TOP, true), insert(TOP, ITEMS, "1", "t1"), stop());

        assertThatThrownBy(() -> h.send(streamCommit(TOP, 0x700L, 0x730L)))
                .isInstanceOf(UnknownRelationException.class);
    }

    @Test
    void keepalivesMayBeConfirmedOnlyWithoutOpenStreams() {
        h.send(start(TOP, true), relation(TOP, ITEMS, "items", "id", "v"));
        assertThat(h.assembler.keepaliveConfirmLsn(0x900L)).as("inside a block").isZero();
        h.send(insert(TOP, ITEMS, "1", "t1"), stop());
        assertThat(h.assembler.keepaliveConfirmLsn(0x900L)).as("buffered").isZero();
        assertThat(h.assembler.safeConfirmLsn(0x900L)).as("no prepared").isEqualTo(0x900L);

        h.send(streamCommit(TOP, 0x700L, 0x730L));
        assertThat(h.assembler.keepaliveConfirmLsn(0x900L)).isEqualTo(0x900L);
    }

    @Test
    void resetDropsStreamsAndTheirSpillFiles() throws IOException {
        try (AssemblerHarness tiny =
                new AssemblerHarness(Messages.OPTIONS, new AssemblerSettings(64, spill))) {
            tiny.send(
                    start(TOP, true),
                    relation(TOP, ITEMS, "items", "id", "v"),
                    insert(TOP, ITEMS, "1", "t1"),
                    stop());
            assertThat(listSpill()).hasSize(1);

            tiny.assembler.reset();

            assertThat(listSpill()).isEmpty();
            assertThat(tiny.assembler.metrics().openSpillFiles()).isZero();
            assertThat(tiny.assembler.hasPendingTransactions()).isFalse();
            assertThatThrownBy(() -> tiny.send(start(TOP, false)))
                    .hasMessageContaining("first segment");
        }
    }

    private Stream<Path> listSpill() throws IOException {
        return SpillDirectories.spillFiles(spill).stream();
    }
}
