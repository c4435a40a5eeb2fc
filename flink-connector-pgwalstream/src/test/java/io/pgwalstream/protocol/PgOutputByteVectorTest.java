package io.pgwalstream.protocol;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-written bytes, laid out from the protocol documentation rather than by the test encoder, so
 * that encoder and decoder cannot share a misreading.
 */
class PgOutputByteVectorTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void begin() {
        byte[] b =
                bytes(
                        'B', //
                        0x00, 0x00, 0x00, 0x16, 0xB3, 0x74, 0xD8, 0x48, // final LSN 16/B374D848
                        0x00, 0x02, 0xD5, 0xD3, 0x1B, 0x0C, 0x8F, 0x40, // commit time
                        0x80, 0x00, 0x02, 0xE6); // xid 2147484390 (above Integer.MAX_VALUE)

        Begin begin = (Begin) new PgOutputDecoder(SampleMessages.V1).decode(b, 0L);

        assertThat(Lsn.of(begin.finalLsn())).hasToString("16/B374D848");
        assertThat(begin.commitTime()).isEqualTo(0x0002_D5D3_1B0C_8F40L);
        assertThat(Integer.toUnsignedLong(begin.xid())).isEqualTo(2_147_484_390L);
    }

    @Test
    void commit() {
        byte[] b =
                bytes(
                        'C', 0, // flags
                        0, 0, 0, 0x16, 0xB3, 0x74, 0xD8, 0x48, // commit LSN
                        0, 0, 0, 0x16, 0xB3, 0x74, 0xD8, 0x78, // end LSN
                        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE); // time -2 µs

        Commit commit = (Commit) new PgOutputDecoder(SampleMessages.V1).decode(b, 0L);

        assertThat(commit.commitLsn()).isEqualTo(0x16_B374_D848L);
        assertThat(commit.endLsn()).isEqualTo(0x16_B374_D878L);
        assertThat(commit.commitTime()).isEqualTo(-2L);
    }

    @Test
    void insertWithEveryColumnKind() {
        byte[] b =
                bytes(
                        'I', 0x00, 0x00, 0x40, 0x00, // relation 16384
                        'N', 0x00, 0x04, // 4 columns
                        'n', //
                        'u', //
                        't', 0x00, 0x00, 0x00, 0x02, '4', '2', //
                        'b', 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x01, 0x02);

        Insert insert =
                (Insert) new PgOutputDecoder(SampleMessages.V1_BINARY_MESSAGES).decode(b, 0L);

        assertThat(insert.hasXid()).isFalse();
        assertThat(insert.relationOid()).isEqualTo(16_384);
        TupleData tuple = insert.newTuple();
        assertThat(tuple.columnCount()).isEqualTo(4);
        assertThat(tuple.startOffset()).isEqualTo(6);
        assertThat(tuple.endOffset()).isEqualTo(b.length);

        TupleCursor c = tuple.cursor();
        assertThat(c.next()).isTrue();
        assertThat(c.kind()).isEqualTo(ColumnKind.NULL);
        assertThat(c.isNull()).isTrue();
        assertThat(c.hasValue()).isFalse();
        assertThat(c.valueOffset()).isEqualTo(-1);
        assertThat(c.next()).isTrue();
        assertThat(c.kind()).isEqualTo(ColumnKind.UNCHANGED_TOAST);
        assertThat(c.isUnchangedToast()).isTrue();
        assertThat(c.isNull()).isFalse();
        assertThat(c.hasValue()).isFalse();
        assertThat(c.next()).isTrue();
        assertThat(c.kind()).isEqualTo(ColumnKind.TEXT);
        assertThat(c.valueOffset()).isEqualTo(15);
        assertThat(c.valueLength()).isEqualTo(2);
        assertThat(c.valueAsString()).isEqualTo("42");
        assertThat(c.next()).isTrue();
        assertThat(c.kind()).isEqualTo(ColumnKind.BINARY);
        assertThat(c.index()).isEqualTo(3);
        assertThat(c.valueOffset()).isEqualTo(22);
        assertThat(c.valueLength()).isEqualTo(4);
        assertThat(BigEndian.getInt(c.buffer(), c.valueOffset())).isEqualTo(0x0102);
        assertThat(c.next()).isFalse();
        assertThat(c.next()).isFalse();

        assertThat(tuple.kind(1)).isEqualTo(ColumnKind.UNCHANGED_TOAST);
        assertThat(tuple.isNull(0)).isTrue();
        assertThat(tuple.isNull(1)).isFalse();
        assertThat(tuple.valueAsString(2)).isEqualTo("42");
        assertThat(tuple.valueBytes(3)).containsExactly(0, 0, 1, 2);
        assertThat(tuple.valueAsString(0)).isNull();
        assertThat(tuple.valueLength(1)).isEqualTo(-1);
        assertThat(tuple).hasToString("TupleData[n, u, t:\"42\", b:4 bytes]");
    }

    @Test
    void insertInsideAStreamBlockCarriesTheSubtransactionXid() {
        PgOutputDecoder decoder = new PgOutputDecoder(SampleMessages.V2_STREAMING);
        StreamStart start =
                (StreamStart) decoder.decode(bytes('S', 0, 0, 0x1B, 0x58, 1), 0L); // xid 7000
        Insert insert =
                (Insert)
                        decoder.decode(
                                bytes(
                                        'I', 0, 0, 0x1B, 0x59, // xid 7001
                                        0, 0, 0x40, 0, 'N', 0, 1, 't', 0, 0, 0, 1, 'a'),
                                0L);
        StreamStop stop = (StreamStop) decoder.decode(bytes('E'), 0L);

        assertThat(start.xid()).isEqualTo(7000);
        assertThat(start.firstSegment()).isTrue();
        assertThat(insert.xid()).isEqualTo(7001);
        assertThat(insert.hasXid()).isTrue();
        assertThat(insert.relationOid()).isEqualTo(16_384);
        assertThat(insert.newTuple().valueAsString(0)).isEqualTo("a");
        assertThat(stop).isSameAs(StreamStop.INSTANCE);
        assertThat(decoder.inStreamBlock()).isFalse();
    }

    @Test
    void updateWithKeyTuple() {
        byte[] b =
                bytes(
                        'U', 0, 0, 0x40, 0, //
                        'K', 0, 2, 't', 0, 0, 0, 1, '1', 'n', //
                        'N', 0, 2, 't', 0, 0, 0, 1, '2', 'u');

        Update update = (Update) new PgOutputDecoder(SampleMessages.V1).decode(b, 0L);

        assertThat(update.oldTupleKind()).isEqualTo(OldTupleKind.KEY);
        assertThat(update.oldTuple().valueAsString(0)).isEqualTo("1");
        assertThat(update.oldTuple().kind(1)).isEqualTo(ColumnKind.NULL);
        assertThat(update.newTuple().valueAsString(0)).isEqualTo("2");
        assertThat(update.newTuple().kind(1)).isEqualTo(ColumnKind.UNCHANGED_TOAST);
    }

    @Test
    void deleteWithOldRow() {
        byte[] b = bytes('D', 0, 0, 0x40, 1, 'O', 0, 1, 't', 0, 0, 0, 0);

        Delete delete = (Delete) new PgOutputDecoder(SampleMessages.V1).decode(b, 0L);

        assertThat(delete.relationOid()).isEqualTo(16_385);
        assertThat(delete.oldTupleKind()).isEqualTo(OldTupleKind.FULL);
        assertThat(delete.oldTuple().valueAsString(0)).isEmpty();
    }

    @Test
    void relation() {
        byte[] b =
                bytes(
                        'R', 0, 0, 0x40, 0, //
                        'p', 'u', 'b', 0, //
                        't', 0, //
                        'f', 0, 2, //
                        1, 'i', 'd', 0, 0, 0, 0, 23, 0xFF, 0xFF, 0xFF, 0xFF, //
                        0, 0xC3, 0xA4, 0, 0, 0, 0x04, 0x13, 0, 0, 0, 68);

        Relation relation = (Relation) new PgOutputDecoder(SampleMessages.V1).decode(b, 0L);

        assertThat(relation.relationOid()).isEqualTo(16_384);
        assertThat(relation.namespace()).isEqualTo("pub");
        assertThat(relation.relationName()).isEqualTo("t");
        assertThat(relation.replicaIdentity()).isEqualTo(ReplicaIdentity.FULL);
        assertThat(relation.columns())
                .containsExactly(
                        new RelationColumn(1, "id", 23, -1), new RelationColumn(0, "ä", 1043, 68));
        assertThat(relation.columns().get(0).isKey()).isTrue();
        assertThat(relation.columns().get(1).isKey()).isFalse();
    }

    @Test
    void truncateWithBothOptions() {
        byte[] b = bytes('T', 0, 0, 0, 2, 3, 0, 0, 0x40, 0, 0, 0, 0x40, 1);

        Truncate truncate = (Truncate) new PgOutputDecoder(SampleMessages.V1).decode(b, 0L);

        assertThat(truncate.cascade()).isTrue();
        assertThat(truncate.restartIdentity()).isTrue();
        assertThat(truncate.relationOids()).containsExactly(16_384, 16_385);
    }

    @Test
    void nonTransactionalMessage() {
        byte[] b =
                bytes(
                        'M', 0, 0, 0, 0, 1, 0, 0, 0, 0x20, // flags 0, LSN 1/20
                        'x', 0, 0, 0, 0, 3, 'a', 'b', 'c');

        LogicalMessage m =
                (LogicalMessage)
                        new PgOutputDecoder(SampleMessages.V1_BINARY_MESSAGES).decode(b, 0L);

        assertThat(m.transactional()).isFalse();
        assertThat(Lsn.of(m.messageLsn())).hasToString("1/20");
        assertThat(m.prefix()).isEqualTo("x");
        assertThat(m.contentOffset()).isEqualTo(16);
        assertThat(m.contentLength()).isEqualTo(3);
        assertThat(m.contentAsString()).isEqualTo("abc");
    }

    @Test
    void streamAbortWithParallelFields() {
        byte[] b =
                bytes(
                        'A', 0, 0, 0, 9, 0, 0, 0, 10, //
                        0, 0, 0, 1, 0, 0, 0, 0x30, // abort LSN 1/30
                        0, 0, 0, 0, 0, 0, 0, 5); // abort time

        StreamAbort abort =
                (StreamAbort) new PgOutputDecoder(SampleMessages.V4_PARALLEL).decode(b, 0L);

        assertThat(abort).isEqualTo(new StreamAbort(9, 10, true, 0x1_0000_0030L, 5L));
        assertThat(abort.abortsWholeTransaction()).isFalse();
    }

    @Test
    void rollbackPrepared() {
        byte[] b =
                bytes(
                        'r', 0, //
                        0, 0, 0, 0, 0, 0, 0, 1, //
                        0, 0, 0, 0, 0, 0, 0, 2, //
                        0, 0, 0, 0, 0, 0, 0, 3, //
                        0, 0, 0, 0, 0, 0, 0, 4, //
                        0, 0, 0, 5, 'g', 0);

        RollbackPrepared r =
                (RollbackPrepared) new PgOutputDecoder(SampleMessages.V3_TWO_PHASE).decode(b, 0L);

        assertThat(r).isEqualTo(new RollbackPrepared(1, 2, 3, 4, 5, "g"));
    }

    @Test
    void relationColumnListIsImmutable() {
        Relation relation =
                new Relation(
                        0,
                        1,
                        "s",
                        "t",
                        ReplicaIdentity.DEFAULT,
                        new java.util.ArrayList<>(List.of(new RelationColumn(0, "a", 23, -1))));
        assertThat(relation.columns()).isUnmodifiable();
    }
}
