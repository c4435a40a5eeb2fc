package io.pgwalstream.snapshot;

import io.pgwalstream.protocol.ColumnKind;
import io.pgwalstream.protocol.TupleData;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Binary COPY bytes to TupleData, however the bytes are cut into messages. */
class CopyBinaryTuplesTest {

    /** Header, rows (int4 or NULL, bytes), trailer; {@code null} values are SQL NULLs. */
    private static byte[] copyData(int[][] ints, byte[][] blobs) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0});
        out.writeInt(0);
        out.writeInt(3);
        out.write(new byte[] {9, 9, 9}); // header extension, skipped
        for (int i = 0; i < ints.length; i++) {
            out.writeShort(2);
            if (ints[i] == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(4);
                out.writeInt(ints[i][0]);
            }
            out.writeInt(blobs[i].length);
            out.write(blobs[i]);
        }
        out.writeShort(-1);
        return bytes.toByteArray();
    }

    @Test
    void rowsBecomeTuplesWithBinaryAndNullColumns() throws IOException {
        byte[] data = copyData(new int[][] {{7}, null}, new byte[][] {{1, 2, 3}, {}});
        CopyBinaryTuples tuples = new CopyBinaryTuples(2);
        tuples.accept(data);
        SnapshotRows rows = tuples.finish();

        assertThat(rows.count()).isEqualTo(2);
        TupleData first = rows.row(0);
        assertThat(first.columnCount()).isEqualTo(2);
        assertThat(first.kind(0)).isEqualTo(ColumnKind.BINARY);
        assertThat(first.kind(1)).isEqualTo(ColumnKind.BINARY);
        TupleData second = rows.row(1);
        assertThat(second.kind(0)).isEqualTo(ColumnKind.NULL);
        assertThat(second.kind(1)).isEqualTo(ColumnKind.BINARY);
        // 2 (count) + 'b' + len + 4 + 'b' + len + 3, then 2 + 'n' + 'b' + len.
        assertThat(rows.bytes()).isEqualTo(2 + 9 + 8 + 2 + 1 + 5);
    }

    /** Every way of cutting the same bytes into messages gives the same tuples. */
    @Test
    void messageBoundariesDoNotMatter() throws IOException {
        Random random = new Random(42);
        int n = 50;
        int[][] ints = new int[n][];
        byte[][] blobs = new byte[n][];
        for (int i = 0; i < n; i++) {
            ints[i] = i % 7 == 0 ? null : new int[] {random.nextInt()};
            blobs[i] = new byte[random.nextInt(40)];
            random.nextBytes(blobs[i]);
        }
        byte[] data = copyData(ints, blobs);
        CopyBinaryTuples whole = new CopyBinaryTuples(2);
        whole.accept(data);
        SnapshotRows expected = whole.finish();

        for (int attempt = 0; attempt < 200; attempt++) {
            CopyBinaryTuples cut = new CopyBinaryTuples(2);
            int pos = 0;
            while (pos < data.length) {
                int len = Math.min(data.length - pos, 1 + random.nextInt(30));
                cut.accept(Arrays.copyOfRange(data, pos, pos + len));
                pos += len;
            }
            SnapshotRows rows = cut.finish();
            assertThat(rows.count()).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(rows.row(i)).isEqualTo(expected.row(i));
            }
        }
    }

    @Test
    void anEmptyChunkHasNoRows() throws IOException {
        CopyBinaryTuples tuples = new CopyBinaryTuples(2);
        tuples.accept(copyData(new int[0][], new byte[0][]));
        assertThat(tuples.finish().count()).isZero();
    }

    @Test
    void malformedDataIsRefused() throws IOException {
        byte[] data = copyData(new int[][] {{1}}, new byte[][] {{1}});

        assertThatThrownBy(() -> new CopyBinaryTuples(3).accept(data))
                .hasMessageContaining("2 fields; expected 3");
        byte[] badSignature = data.clone();
        badSignature[0] = 'X';
        assertThatThrownBy(() -> new CopyBinaryTuples(2).accept(badSignature))
                .hasMessageContaining("signature");
        CopyBinaryTuples truncated = new CopyBinaryTuples(2);
        truncated.accept(Arrays.copyOf(data, data.length - 4));
        assertThatThrownBy(truncated::finish).hasMessageContaining("without the trailer");
    }

    @Test
    void boundLiteralsCannotEscapeTheirQuotes() {
        assertThat(ChunkQuery.literal("it's")).isEqualTo("'it''s'");
        assertThat(ChunkQuery.literal("a\\' OR true --")).isEqualTo("'a\\'' OR true --'");
        assertThatThrownBy(() -> ChunkQuery.literal("a\0b")).hasMessageContaining("NUL");
    }
}
