package io.pgwalstream.snapshot;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.changes.ChangePosition;
import io.pgwalstream.changes.RelationSchema;
import io.pgwalstream.changes.TransactionInfo;
import io.pgwalstream.protocol.OldTupleKind;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.protocol.TupleBuilder;
import io.pgwalstream.protocol.TupleData;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stream after a resumed snapshot drops exactly the changes a later chunk already holds: by
 * commit LSN against the chunk's snapshot LSN, by key against the chunk's range, per side of a
 * key-moving update.
 */
class HandOverFilterTest {

    private static final int OID = 16_384;
    private static final ChunkKey INT_KEY = new ChunkKey("id", "integer", 23, true, false);
    private static final RelationSchema TABLE =
            RelationSchema.of(
                    new Relation(
                            0,
                            OID,
                            "public",
                            "t",
                            ReplicaIdentity.DEFAULT,
                            List.of(
                                    new RelationColumn(RelationColumn.FLAG_KEY, "id", 23, -1),
                                    new RelationColumn(0, "v", 25, -1))));

    /** Keys [100, 200) were read again at LSN 5000; everything else at the stream's start. */
    private static final HandOverFilter FILTER =
            new HandOverFilter(List.of(new HandOverFilter.Range(OID, INT_KEY, "100", "200", 5000)));

    private static TupleData row(int id) {
        return TupleBuilder.tuple().text(Integer.toString(id)).text("v").build();
    }

    private static TupleData binaryRow(int id) {
        return TupleBuilder.tuple()
                .binary(ByteBuffer.allocate(4).putInt(id).array())
                .text("v")
                .build();
    }

    private static ChangeEvent event(ChangeKind kind, long lsn, TupleData before, TupleData after) {
        return new ChangeEvent(
                kind,
                new ChangePosition(lsn, 0, 1),
                new TransactionInfo(7, lsn, 0, 1, null, null),
                TABLE,
                before == null ? OldTupleKind.NONE : OldTupleKind.KEY,
                before,
                after,
                List.of(),
                0,
                null);
    }

    @Test
    void changesToReReadKeysBeforeTheirSnapshotAreDropped() {
        assertThat(FILTER.apply(event(ChangeKind.INSERT, 4000, null, row(150)))).isNull();
        assertThat(FILTER.apply(event(ChangeKind.INSERT, 4000, null, binaryRow(150)))).isNull();
        assertThat(FILTER.apply(event(ChangeKind.DELETE, 4999, row(100), null))).isNull();
        assertThat(FILTER.apply(event(ChangeKind.UPDATE, 4000, null, row(199)))).isNull();
    }

    @Test
    void otherKeysLaterCommitsAndOtherTablesPass() {
        ChangeEvent below = event(ChangeKind.INSERT, 4000, null, row(99));
        ChangeEvent above = event(ChangeKind.INSERT, 4000, null, binaryRow(200));
        ChangeEvent atTheSnapshot = event(ChangeKind.INSERT, 5000, null, row(150));
        assertThat(FILTER.apply(below)).isSameAs(below);
        assertThat(FILTER.apply(above)).isSameAs(above);
        assertThat(FILTER.apply(atTheSnapshot)).isSameAs(atTheSnapshot);
        assertThat(FILTER.retiredAt(4999)).isFalse();
        assertThat(FILTER.retiredAt(5000)).isTrue();
    }

    /** A key moving between chunks is judged per side, each by its own chunk's LSN. */
    @Test
    void anUpdateMovingAKeyKeepsOnlyTheSideTheLaterSnapshotLacks() {
        ChangeEvent intoReRead = event(ChangeKind.UPDATE, 4000, row(50), row(150));
        ChangeEvent kept = FILTER.apply(intoReRead);
        assertThat(kept.kind()).isEqualTo(ChangeKind.DELETE);
        assertThat(kept.before()).isEqualTo(row(50));
        assertThat(kept.position()).isEqualTo(intoReRead.position());

        ChangeEvent outOfReRead = event(ChangeKind.UPDATE, 4000, row(150), row(250));
        ChangeEvent insert = FILTER.apply(outOfReRead);
        assertThat(insert.kind()).isEqualTo(ChangeKind.INSERT);
        assertThat(insert.after()).isEqualTo(row(250));

        assertThat(FILTER.apply(event(ChangeKind.UPDATE, 4000, row(150), row(160)))).isNull();
        ChangeEvent outside = event(ChangeKind.UPDATE, 4000, row(10), row(20));
        assertThat(FILTER.apply(outside)).isSameAs(outside);
    }

    @Test
    void textAndUuidKeysCompareAsPostgresOrdersThem() {
        ChunkKey text = new ChunkKey("k", "text", 25, true, true);
        TupleData ae = TupleBuilder.tuple().text("äe").build();
        // Code-point order: 'z' (U+007A) < 'ä' (U+00E4) < '€' (U+20AC).
        assertThat(ChunkMembership.contains(text, "z", "€", ae, 0)).isTrue();
        assertThat(ChunkMembership.contains(text, null, "z", ae, 0)).isFalse();

        ChunkKey uuid = new ChunkKey("k", "uuid", 2950, true, false);
        byte[] bytes = new byte[16];
        bytes[0] = (byte) 0x80;
        TupleData binary = TupleBuilder.tuple().binary(bytes).build();
        TupleData textForm =
                TupleBuilder.tuple().text("80000000-0000-0000-0000-000000000000").build();
        String lower = "7fffffff-ffff-ffff-ffff-ffffffffffff";
        assertThat(ChunkMembership.contains(uuid, lower, null, binary, 0)).isTrue();
        assertThat(ChunkMembership.contains(uuid, lower, null, textForm, 0)).isTrue();
        assertThat(ChunkMembership.contains(uuid, null, lower, binary, 0)).isFalse();
    }

    @Test
    void negativeBinaryIntegersKeepTheirSign() {
        TupleData minusOne = TupleBuilder.tuple().binary(new byte[] {-1, -1, -1, -1}).build();
        assertThat(ChunkMembership.contains(INT_KEY, "-5", "0", minusOne, 0)).isTrue();
        TupleData int8 =
                TupleBuilder.tuple().binary(ByteBuffer.allocate(8).putLong(-7L).array()).build();
        assertThat(ChunkMembership.contains(INT_KEY, "-8", "-6", int8, 0)).isTrue();
    }

    @Test
    void keysJavaCannotOrderAreRefused() {
        ChunkKey collated = new ChunkKey("k", "text", 25, true, false);
        assertThat(collated.orderedLikePostgres()).isFalse();
        assertThat(ChunkKey.physical().orderedLikePostgres()).isFalse();
        assertThatThrownBy(() -> new HandOverFilter.Range(OID, collated, null, "m", 1))
                .hasMessageContaining("cannot be matched in Java");
    }
}
