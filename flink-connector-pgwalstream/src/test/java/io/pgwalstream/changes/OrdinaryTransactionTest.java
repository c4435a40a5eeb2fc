package io.pgwalstream.changes;

import io.pgwalstream.protocol.ColumnKind;
import io.pgwalstream.protocol.OldTupleKind;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.protocol.Truncate;
import io.pgwalstream.protocol.TupleBuilder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.pgwalstream.changes.Messages.ITEMS;
import static io.pgwalstream.changes.Messages.NO_XID;
import static io.pgwalstream.changes.Messages.OTHER;
import static io.pgwalstream.changes.Messages.TIME;
import static io.pgwalstream.changes.Messages.begin;
import static io.pgwalstream.changes.Messages.commit;
import static io.pgwalstream.changes.Messages.delete;
import static io.pgwalstream.changes.Messages.insert;
import static io.pgwalstream.changes.Messages.message;
import static io.pgwalstream.changes.Messages.origin;
import static io.pgwalstream.changes.Messages.relation;
import static io.pgwalstream.changes.Messages.truncate;
import static io.pgwalstream.changes.Messages.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Begin…Commit transactions: emitted change by change as they arrive. */
@Timeout(10)
class OrdinaryTransactionTest {

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
    void eachChangeIsEmittedAsItArrivesAndCommitClosesTheTransaction() {
        h.send(begin(0x500L, 700), relation(NO_XID, ITEMS, "items", "id", "name"));
        assertThat(h.records).isEmpty();

        h.send(insert(NO_XID, ITEMS, "1", "a"));
        assertThat(h.events()).hasSize(1).as("before Commit arrived");
        h.send(insert(NO_XID, ITEMS, "2", "b"), commit(0x500L, 0x530L));

        assertThat(h.records).hasSize(3);
        ChangeEvent first = h.events().get(0);
        assertThat(first.kind()).isEqualTo(ChangeKind.INSERT);
        assertThat(first.relation().tableName()).isEqualTo("items");
        assertThat(AssemblerHarness.texts(first.after())).containsExactly("1", "a");
        assertThat(first.before()).isNull();
        assertThat(first.position()).isEqualTo(new ChangePosition(0x500L, 0L, 1));
        assertThat(first.position().commitEndLsn()).as("not known yet").isZero();
        assertThat(first.transaction().xid()).isEqualTo(700);
        assertThat(first.transaction().commitLsn()).isEqualTo(0x500L);
        assertThat(first.transaction().commitTime()).isEqualTo(TIME);
        assertThat(first.transaction().originName()).isNull();
        assertThat(h.events().get(1).position().index()).isEqualTo(2);

        TransactionCommitted done = (TransactionCommitted) h.records.get(2);
        assertThat(done.eventCount()).isEqualTo(2);
        assertThat(done.transaction().commitEndLsn()).isEqualTo(0x530L);
        assertThat(done.safeConfirmLsn()).isEqualTo(0x530L);
        assertThat(done.lastPosition()).isEqualTo(h.events().get(1).position());
        assertThat(h.assembler.hasPendingTransactions()).isFalse();
    }

    @Test
    void theOriginFollowingBeginIsCarriedByEveryEvent() {
        h.send(
                begin(0x500L, 700),
                origin("upstream"),
                relation(NO_XID, ITEMS, "items", "id", "name"),
                insert(NO_XID, ITEMS, "1", "a"),
                commit(0x500L, 0x530L));

        assertThat(h.events().get(0).transaction().originName()).isEqualTo("upstream");
        assertThat(h.commits().get(0).transaction().originName()).isEqualTo("upstream");
    }

    @Test
    void anEmptyTransactionStillCloses() {
        // PostgreSQL 14 sends Begin/Commit for transactions that touched nothing published.
        h.send(begin(0x500L, 700), commit(0x500L, 0x530L));

        assertThat(h.events()).isEmpty();
        assertThat(h.commits()).singleElement().satisfies(c -> assertThat(c.eventCount()).isZero());
    }

    @Test
    void updatesAndDeletesCarryTheBeforeRowTheServerSent() {
        h.send(
                relation(NO_XID, ITEMS, "items", "id", "name"),
                begin(0x500L, 700),
                update(NO_XID, ITEMS, "1", "plain"),
                update(
                        NO_XID,
                        ITEMS,
                        OldTupleKind.KEY,
                        TupleBuilder.texts("1", null),
                        TupleBuilder.texts("2", "key changed")),
                delete(NO_XID, ITEMS, "2", null),
                commit(0x500L, 0x530L));

        ChangeEvent plain = h.events().get(0);
        assertThat(plain.kind()).isEqualTo(ChangeKind.UPDATE);
        assertThat(plain.hasBefore()).isFalse();
        assertThat(plain.beforeKind()).isEqualTo(OldTupleKind.NONE);
        ChangeEvent keyChanged = h.events().get(1);
        assertThat(keyChanged.beforeIsKeyOnly()).isTrue();
        assertThat(keyChanged.before().valueAsString(0)).isEqualTo("1");
        ChangeEvent deleted = h.events().get(2);
        assertThat(deleted.kind()).isEqualTo(ChangeKind.DELETE);
        assertThat(deleted.after()).isNull();
        assertThat(deleted.beforeIsKeyOnly()).isTrue();
        assertThat(h.values()).containsExactly("U:plain", "U:key changed", "D:2");
    }

    @Test
    void unchangedToastColumnsResolveFromAFullBeforeRowOrStayUnresolved() {
        h.send(
                relation(NO_XID, ITEMS, "items", ReplicaIdentity.FULL, "id", "doc", "n"),
                relation(NO_XID, OTHER, "other", "id", "doc", "n"),
                begin(0x500L, 700),
                update(
                        NO_XID,
                        ITEMS,
                        OldTupleKind.FULL,
                        TupleBuilder.texts("1", "big document", "0"),
                        TupleBuilder.tuple().text("1").unchangedToast().text("1").build()),
                update(
                        NO_XID,
                        OTHER,
                        OldTupleKind.NONE,
                        null,
                        TupleBuilder.tuple().text("1").unchangedToast().nul().build()),
                commit(0x500L, 0x530L));

        ChangeEvent full = h.events().get(0);
        assertThat(full.after().kind(1)).isEqualTo(ColumnKind.UNCHANGED_TOAST);
        assertThat(full.afterColumnSource(0)).isEqualTo(ColumnSource.AFTER);
        assertThat(full.afterColumnSource(1)).isEqualTo(ColumnSource.BEFORE);
        assertThat(full.before().valueAsString(1)).isEqualTo("big document");
        ChangeEvent keyOnly = h.events().get(1);
        assertThat(keyOnly.afterColumnSource(1)).isEqualTo(ColumnSource.UNCHANGED_TOAST);
        assertThat(keyOnly.afterColumnSource(2)).as("a real NULL").isEqualTo(ColumnSource.AFTER);
        assertThat(keyOnly.after().isNull(1)).as("never a silent NULL").isFalse();
    }

    @Test
    void truncateKeepsEveryRelationAndItsOptions() {
        h.send(
                relation(NO_XID, ITEMS, "items", "id"),
                relation(NO_XID, OTHER, "other", "id"),
                begin(0x500L, 700),
                truncate(NO_XID, Truncate.CASCADE | Truncate.RESTART_IDENTITY, OTHER, ITEMS),
                truncate(NO_XID, 0, ITEMS),
                commit(0x500L, 0x530L));

        ChangeEvent both = h.events().get(0);
        assertThat(both.kind()).isEqualTo(ChangeKind.TRUNCATE);
        assertThat(both.relation()).isNull();
        assertThat(both.truncatedRelations())
                .extracting(RelationSchema::tableName)
                .containsExactly("other", "items");
        assertThat(both.cascade()).isTrue();
        assertThat(both.restartIdentity()).isTrue();
        ChangeEvent plain = h.events().get(1);
        assertThat(plain.truncateOptions()).isZero();
        assertThat(plain.cascade()).isFalse();
        assertThat(plain.truncatedRelations())
                .extracting(RelationSchema::tableName)
                .containsExactly("items");
    }

    @Test
    void transactionalMessagesBelongToTheirTransactionOthersStandAlone() {
        h.send(
                message(NO_XID, false, 0x480L, "outside"),
                begin(0x500L, 700),
                message(NO_XID, true, 0x4F0L, "inside"),
                commit(0x500L, 0x530L),
                message(NO_XID, false, 0x540L, "after"));

        assertThat(h.records).hasSize(6);
        ChangeEvent outside = (ChangeEvent) h.records.get(0);
        assertThat(outside.kind()).isEqualTo(ChangeKind.MESSAGE);
        assertThat(outside.transactionalMessage()).isFalse();
        assertThat(outside.messagePrefix()).isEqualTo("test");
        assertThat(outside.position()).isEqualTo(ChangePosition.ofNonTransactionalMessage(0x480L));
        assertThat(outside.transaction().isTransaction()).isFalse();
        TransactionCommitted alone = (TransactionCommitted) h.records.get(1);
        assertThat(alone.eventCount()).isEqualTo(1);
        assertThat(alone.safeConfirmLsn()).isEqualTo(0x480L);
        assertThat(alone.lastPosition()).isEqualTo(outside.position());

        ChangeEvent inside = (ChangeEvent) h.records.get(2);
        assertThat(inside.transactionalMessage()).isTrue();
        assertThat(inside.position()).isEqualTo(new ChangePosition(0x500L, 0L, 1));
        assertThat(inside.transaction().xid()).isEqualTo(700);
        assertThat(h.values()).containsExactly("M:outside", "M:inside", "M:after");
        assertPositionsIncrease(h);
    }

    @Test
    void aChangeForAnUnknownRelationFailsTyped() {
        h.send(begin(0x500L, 700));

        assertThatThrownBy(() -> h.send(insert(NO_XID, ITEMS, "1", "a")))
                .isInstanceOfSatisfying(
                        UnknownRelationException.class,
                        e -> assertThat(e.relationOid()).isEqualTo(ITEMS));
    }

    @Test
    void aTruncateOfAnUnknownRelationFailsTyped() {
        h.send(relation(NO_XID, ITEMS, "items", "id"), begin(0x500L, 700));

        assertThatThrownBy(() -> h.send(truncate(NO_XID, 0, ITEMS, OTHER)))
                .isInstanceOf(UnknownRelationException.class);
    }

    @Test
    void aRowWithTheWrongColumnCountFails() {
        h.send(relation(NO_XID, ITEMS, "items", "id", "name"), begin(0x500L, 700));

        assertThatThrownBy(() -> h.send(insert(NO_XID, ITEMS, "1")))
                .isInstanceOf(ChangeAssemblyException.class)
                .hasMessageContaining("has 1 columns");
    }

    @Test
    void outOfOrderMessagesFail() {
        h.send(relation(NO_XID, ITEMS, "items", "id", "name"));
        assertThatThrownBy(() -> h.send(insert(NO_XID, ITEMS, "1", "a")))
                .isInstanceOf(ChangeAssemblyException.class)
                .hasMessageContaining("outside a transaction");
        assertThatThrownBy(() -> h.send(commit(0x500L, 0x530L)))
                .hasMessageContaining("Commit without Begin");

        h.send(begin(0x500L, 700));
        assertThatThrownBy(() -> h.send(begin(0x600L, 701)))
                .hasMessageContaining("Begin inside Begin…Commit");
        assertThatThrownBy(() -> h.send(commit(0x501L, 0x530L)))
                .isInstanceOf(ChangeAssemblyException.class)
                .hasMessageContaining("0/501");
    }

    @Test
    void acceptRefusesUntilTheOutputWasPolled() {
        h.send(relation(NO_XID, ITEMS, "items", "id", "name"), begin(0x500L, 700));
        h.accept(insert(NO_XID, ITEMS, "1", "a"));

        assertThat(h.assembler.hasOutput()).isTrue();
        assertThatThrownBy(() -> h.accept(insert(NO_XID, ITEMS, "2", "b")))
                .isInstanceOf(IllegalStateException.class);
        h.drain();
        h.send(insert(NO_XID, ITEMS, "2", "b"));
        assertThat(h.values()).containsExactly("I:a", "I:b");
    }

    @Test
    void resetDropsTheOpenTransactionAndTheRelations() {
        h.send(relation(NO_XID, ITEMS, "items", "id", "name"), begin(0x500L, 700));
        assertThat(h.assembler.hasPendingTransactions()).isTrue();
        assertThat(h.assembler.keepaliveConfirmLsn(0x900L)).isZero();

        h.assembler.reset();

        assertThat(h.assembler.hasPendingTransactions()).isFalse();
        assertThat(h.assembler.keepaliveConfirmLsn(0x900L)).isEqualTo(0x900L);
        assertThat(h.assembler.relations().size()).isZero();
        // The server sends the relation again, then the whole transaction.
        h.send(
                relation(NO_XID, ITEMS, "items", "id", "name"),
                begin(0x500L, 700),
                insert(NO_XID, ITEMS, "1", "a"),
                commit(0x500L, 0x530L));
        assertThat(h.values()).containsExactly("I:a");
    }

    @Test
    void aClosedAssemblerRefusesWork() {
        h.assembler.close();
        h.assembler.close();

        assertThatThrownBy(() -> h.send(begin(0x500L, 700)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> h.assembler.poll()).isInstanceOf(IllegalStateException.class);
    }

    static void assertPositionsIncrease(AssemblerHarness h) {
        ChangePosition previous = null;
        for (ChangeEvent event : h.events()) {
            if (previous != null) {
                assertThat(event.position()).as("after %s", previous).isGreaterThan(previous);
            }
            previous = event.position();
        }
    }
}
