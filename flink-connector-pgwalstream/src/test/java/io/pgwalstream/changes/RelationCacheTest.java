package io.pgwalstream.changes;

import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.protocol.TypeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.pgwalstream.changes.Messages.ITEMS;
import static io.pgwalstream.changes.Messages.NO_XID;
import static io.pgwalstream.changes.Messages.OTHER;
import static io.pgwalstream.changes.Messages.relation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class RelationCacheTest {

    @Test
    void looksUpByOidAndFailsTypedForUnknownOids() {
        RelationCache cache = new RelationCache();
        cache.apply(relation(NO_XID, ITEMS, "items", "id", "name"));

        RelationSchema items = cache.require(ITEMS, 0x42L);
        assertThat(items.schemaName()).isEqualTo("public");
        assertThat(items.tableName()).isEqualTo("items");
        assertThat(items.columns()).extracting(RelationColumn::name).containsExactly("id", "name");
        assertThat(items.column(0).isKey()).isTrue();
        assertThat(items.replicaIdentity()).isEqualTo(ReplicaIdentity.DEFAULT);
        assertThat(cache.relation(OTHER)).isNull();
        assertThatThrownBy(() -> cache.require(OTHER, 0x42L))
                .isInstanceOfSatisfying(
                        UnknownRelationException.class,
                        e -> {
                            assertThat(e.relationOid()).isEqualTo(OTHER);
                            assertThat(e.lsn()).isEqualTo(0x42L);
                        })
                .hasMessageContaining("16390");
    }

    @Test
    void aNewRelationMessageReplacesTheOldShapeAndResetForgetsEverything() {
        RelationCache cache = new RelationCache();
        cache.apply(relation(NO_XID, ITEMS, "items", "id"));
        cache.apply(relation(NO_XID, ITEMS, "items", "id", "added"));

        assertThat(cache.relation(ITEMS).columnCount()).isEqualTo(2);
        assertThat(cache.size()).isEqualTo(1);

        cache.reset();
        assertThat(cache.size()).isZero();
        assertThat(cache.relation(ITEMS)).isNull();
    }

    @Test
    void userTypesAnnouncedBeforeTheRelationAreAttachedToItsColumns() {
        RelationCache cache = new RelationCache();
        TypeMessage mood = new TypeMessage(NO_XID, 16_500, "public", "mood");
        cache.apply(mood);
        cache.apply(
                new Relation(
                        NO_XID,
                        ITEMS,
                        "",
                        "t",
                        ReplicaIdentity.FULL,
                        List.of(
                                new RelationColumn(1, "id", 23, -1),
                                new RelationColumn(1, "m", 16_500, -1))));

        RelationSchema t = cache.relation(ITEMS);
        assertThat(t.userType(0)).isNull();
        assertThat(t.userType(1)).isEqualTo(mood);
        assertThat(t.schemaName()).as("empty namespace").isEqualTo("pg_catalog");
    }

    @Test
    void aScopeSeesItsOwnRelationsFirstAndPromotesThemOnlyWhenAsked() {
        RelationCache cache = new RelationCache();
        cache.apply(relation(NO_XID, ITEMS, "items", "id"));
        RelationCache.Scope scope = cache.newScope();
        scope.apply(relation(7, ITEMS, "items", "id", "in_txn"));
        scope.apply(relation(7, OTHER, "other", "id"));

        assertThat(scope.relation(ITEMS).columnCount()).isEqualTo(2);
        assertThat(scope.relation(OTHER)).isNotNull();
        assertThat(cache.relation(ITEMS).columnCount()).as("session untouched").isEqualTo(1);
        assertThat(cache.relation(OTHER)).isNull();

        scope.promote();
        assertThat(cache.relation(ITEMS).columnCount()).isEqualTo(2);
        assertThat(cache.relation(OTHER)).isNotNull();
    }

    @Test
    void aPinnedRelationShadowsTheSessionButIsNotPromoted() {
        RelationCache cache = new RelationCache();
        RelationSchema old = RelationSchema.of(relation(NO_XID, ITEMS, "items", "id"));
        cache.apply(relation(NO_XID, ITEMS, "items", "id", "newer"));
        RelationCache.Scope scope = cache.newScope();
        scope.pin(old);

        assertThat(scope.relation(ITEMS)).isEqualTo(old);
        scope.promote();
        assertThat(cache.relation(ITEMS).columnCount()).isEqualTo(2);
    }
}
