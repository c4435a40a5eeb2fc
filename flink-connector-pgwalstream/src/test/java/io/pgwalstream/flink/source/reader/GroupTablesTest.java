package io.pgwalstream.flink.source.reader;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.changes.ChangePosition;
import io.pgwalstream.changes.RelationSchema;
import io.pgwalstream.changes.TransactionInfo;
import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.protocol.LogicalMessage;
import io.pgwalstream.protocol.OldTupleKind;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.protocol.Truncate;
import io.pgwalstream.protocol.TupleBuilder;
import io.pgwalstream.replication.TableName;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A slot group delivers the tables it lists, not every table of its publication. */
class GroupTablesTest {

    private static final RelationSchema ORDERS = table(16_400, "shop", "orders");
    private static final RelationSchema ITEMS = table(16_401, "shop", "Items");
    private static final RelationSchema OTHER = table(16_402, "public", "orders");

    private static RelationSchema table(int oid, String schema, String name) {
        return RelationSchema.of(
                new Relation(
                        0,
                        oid,
                        schema,
                        name,
                        ReplicaIdentity.DEFAULT,
                        List.of(new RelationColumn(RelationColumn.FLAG_KEY, "id", 23, -1))));
    }

    private static final GroupTables LISTED =
            new GroupTables(
                    new SlotGroup(
                            "s",
                            "p",
                            List.of(
                                    TableName.of("shop", "orders"),
                                    TableName.of("shop", "Items"))));

    private static ChangeEvent insert(RelationSchema table) {
        return new ChangeEvent(
                ChangeKind.INSERT,
                new ChangePosition(100, 0, 1),
                new TransactionInfo(7, 100, 0, 1, null, null),
                table,
                OldTupleKind.NONE,
                null,
                TupleBuilder.tuple().text("1").build(),
                List.of(),
                0,
                null);
    }

    private static ChangeEvent truncate(RelationSchema... tables) {
        return new ChangeEvent(
                ChangeKind.TRUNCATE,
                new ChangePosition(100, 0, 1),
                new TransactionInfo(7, 100, 0, 1, null, null),
                null,
                OldTupleKind.NONE,
                null,
                null,
                List.of(tables),
                Truncate.CASCADE,
                null);
    }

    @Test
    void changesOfListedTablesPassAndOthersAreDropped() {
        ChangeEvent orders = insert(ORDERS);
        ChangeEvent items = insert(ITEMS);
        assertThat(LISTED.select(orders)).isSameAs(orders);
        assertThat(LISTED.select(items)).isSameAs(items);
        // Same table name in another schema: not listed.
        assertThat(LISTED.select(insert(OTHER))).isNull();
        assertThat(LISTED.select(orders)).isSameAs(orders);
    }

    @Test
    void aTruncateKeepsOnlyItsListedTables() {
        ChangeEvent mixed = truncate(OTHER, ORDERS);
        ChangeEvent kept = LISTED.select(mixed);
        assertThat(kept.truncatedRelations()).containsExactly(ORDERS);
        assertThat(kept.truncateOptions()).isEqualTo(Truncate.CASCADE);
        assertThat(kept.position()).isEqualTo(mixed.position());

        ChangeEvent listedOnly = truncate(ORDERS, ITEMS);
        assertThat(LISTED.select(listedOnly)).isSameAs(listedOnly);
        assertThat(LISTED.select(truncate(OTHER))).isNull();
    }

    @Test
    void messagesPass() {
        ChangeEvent message =
                new ChangeEvent(
                        ChangeKind.MESSAGE,
                        new ChangePosition(100, 0, 1),
                        new TransactionInfo(7, 100, 0, 1, null, null),
                        null,
                        OldTupleKind.NONE,
                        null,
                        null,
                        List.of(),
                        0,
                        new LogicalMessage(
                                0, LogicalMessage.TRANSACTIONAL, 100, "app", new byte[] {1}, 0, 1));
        assertThat(LISTED.select(message)).isSameAs(message);
    }

    @Test
    void aGroupListingNoTablesTakesThemAll() {
        GroupTables all = new GroupTables(new SlotGroup("s", "p", List.of()));
        ChangeEvent other = insert(OTHER);
        assertThat(all.select(other)).isSameAs(other);
    }
}
