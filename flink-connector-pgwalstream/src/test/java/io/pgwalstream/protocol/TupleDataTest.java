package io.pgwalstream.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TupleDataTest {

    @Test
    void cursorIsReusableAcrossTuples() {
        TupleCursor cursor = new TupleCursor();
        TupleData first = TupleBuilder.texts("a", "bb");
        TupleData second = TupleBuilder.tuple().unchangedToast().build();

        cursor.reset(first);
        assertThat(cursor.columnCount()).isEqualTo(2);
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.valueAsString()).isEqualTo("a");
        cursor.reset(second);
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.isUnchangedToast()).isTrue();
        assertThat(cursor.kindTag()).isEqualTo((byte) 'u');
        assertThat(cursor.valueAsString()).isNull();
        assertThat(cursor.next()).isFalse();
        assertThat(cursor.reset(first).next()).isTrue();
        assertThat(cursor.index()).isZero();
    }

    @Test
    void framedTuplesEqualValidatedOnesAndCheckTheirCount() {
        TupleData tuple = TupleBuilder.texts("a", "bb");
        byte[] padded = new byte[tuple.encodedLength() + 3];
        System.arraycopy(tuple.buffer(), tuple.startOffset(), padded, 3, tuple.encodedLength());

        TupleData framed = TupleData.framed(padded, 3, tuple.encodedLength(), 2);

        assertThat(framed).isEqualTo(TupleData.wrap(padded, 3, tuple.encodedLength()));
        assertThat(framed.cursor().next()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> TupleData.framed(padded, 3, tuple.encodedLength(), 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 columns");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> TupleData.framed(padded, 3, padded.length, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void emptyTuple() {
        TupleData tuple = TupleBuilder.tuple().build();

        assertThat(tuple.columnCount()).isZero();
        assertThat(tuple.encodedLength()).isEqualTo(2);
        assertThat(tuple.cursor().next()).isFalse();
        assertThat(tuple).hasToString("TupleData[]");
    }

    @Test
    void randomAccessWalksToTheColumn() {
        TupleData tuple =
                TupleBuilder.tuple()
                        .text("first")
                        .binary(new byte[] {7})
                        .nul()
                        .text("wörd")
                        .build();

        assertThat(tuple.kind(1)).isEqualTo(ColumnKind.BINARY);
        assertThat(tuple.valueOffset(1)).isEqualTo(2 + 5 + 5 + 5);
        assertThat(tuple.valueLength(1)).isEqualTo(1);
        assertThat(tuple.valueOffset(2)).isEqualTo(-1);
        assertThat(tuple.valueAsString(3)).isEqualTo("wörd");
        assertThat(tuple.valueBytes(2)).isNull();
        assertThatThrownBy(() -> tuple.kind(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> tuple.kind(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void equalityComparesBytes() {
        TupleData a = TupleBuilder.texts("x", null);
        TupleData b = TupleBuilder.texts("x", null);
        byte[] padded = new byte[a.encodedLength() + 3];
        System.arraycopy(a.buffer(), 0, padded, 3, a.encodedLength());
        TupleData c = TupleData.wrap(padded, 3, a.encodedLength());

        assertThat(a).isEqualTo(b).isEqualTo(c).hasSameHashCodeAs(c);
        assertThat(a).isNotEqualTo(TupleBuilder.texts("x", "y"));
        assertThat(TupleBuilder.tuple().nul().build())
                .isNotEqualTo(TupleBuilder.tuple().unchangedToast().build());
    }

    @Test
    void wrapValidatesExactlyOneTuple() {
        byte[] valid = TupleBuilder.tuple().text("a").toBytes();
        byte[] trailing = java.util.Arrays.copyOf(valid, valid.length + 1);

        assertThatThrownBy(() -> TupleData.wrap(trailing, 0, trailing.length))
                .isInstanceOf(ProtocolDecodingException.class)
                .hasMessageContaining("trailing");
        assertThatThrownBy(() -> TupleData.wrap(valid, 0, valid.length - 1))
                .isInstanceOf(ProtocolDecodingException.class);
        assertThatThrownBy(() -> TupleData.wrap(valid, 0, valid.length + 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void columnKindTags() {
        for (ColumnKind kind : ColumnKind.values()) {
            assertThat(ColumnKind.fromTag(kind.tag())).isSameAs(kind);
        }
        assertThat(ColumnKind.TEXT.hasValue()).isTrue();
        assertThat(ColumnKind.UNCHANGED_TOAST.hasValue()).isFalse();
        assertThatThrownBy(() -> ColumnKind.fromTag((byte) 'x'))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
