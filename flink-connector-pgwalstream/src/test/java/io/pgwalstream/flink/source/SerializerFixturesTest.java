package io.pgwalstream.flink.source;

import io.pgwalstream.changes.ChangePosition;
import io.pgwalstream.flink.source.enumerator.GroupSnapshotState;
import io.pgwalstream.flink.source.enumerator.PgWalStreamEnumState;
import io.pgwalstream.flink.source.enumerator.PgWalStreamEnumStateSerializer;
import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.flink.source.split.PgWalStreamSplitSerializer;
import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.flink.source.split.SnapshotChunkSplit;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.protocol.StreamingMode;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.snapshot.ChunkKey;
import io.pgwalstream.snapshot.HandOverFilter;
import io.pgwalstream.snapshot.SnapshotChunk;
import io.pgwalstream.snapshot.SnapshotTable;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checkpointed state written by every released layout must stay readable: committed bytes under
 * {@code src/test/resources/serializer-fixtures/} are deserialized and compared with the value they
 * were written from, and the current layout must still write exactly those bytes.
 *
 * <p><b>Regenerating fixtures is a deliberate act</b>, only for a new layout version: add a new
 * version constant and read method, add fixtures named {@code v<N>-...}, and run this test once
 * with {@code -Dpgwalstream.serializer.fixtures.write=true} (from the module directory) to write
 * the current version's files. Never rewrite the files of an older version: they are what old
 * checkpoints contain.
 */
class SerializerFixturesTest {

    private static final String WRITE_PROPERTY = "pgwalstream.serializer.fixtures.write";
    private static final Path FIXTURE_DIR = Path.of("src/test/resources/serializer-fixtures");

    private static final PgWalStreamSplitSerializer SPLITS = new PgWalStreamSplitSerializer();
    private static final PgWalStreamEnumStateSerializer ENUM_STATES =
            new PgWalStreamEnumStateSerializer();

    static PgWalStreamSplit freshSplit() {
        return PgWalStreamSplit.fresh(
                new SlotGroup(
                        "orders_slot",
                        "orders_pub",
                        List.of(TableName.of("public", "orders"), TableName.of("shop", "Items"))),
                new PgOutputOptions(4, StreamingMode.PARALLEL, false, false, true),
                null,
                Lsn.INVALID,
                Lsn.INVALID);
    }

    static PgWalStreamSplit restoredSplit() {
        return PgWalStreamSplit.fresh(
                        new SlotGroup("customers_slot", "customers_pub", List.of()),
                        new PgOutputOptions(2, StreamingMode.ON, true, true, false),
                        "none",
                        Lsn.parse("0/16B3748"),
                        Lsn.parse("1/0"))
                .withProgress(
                        new ChangePosition(0x16C0000L, 0x16C0030L, 17), Lsn.parse("0/16BFF00"));
    }

    static PgWalStreamEnumState enumState() {
        return new PgWalStreamEnumState(
                Set.of("b_slot", "a_slot"), List.of(freshSplit(), restoredSplit()));
    }

    @Test
    void splitV1Fresh() throws IOException {
        check(SPLITS, "split/v1-fresh.bin", PgWalStreamSplitSerializer.VERSION_1, freshSplit());
    }

    @Test
    void splitV1WithProgress() throws IOException {
        check(
                SPLITS,
                "split/v1-with-progress.bin",
                PgWalStreamSplitSerializer.VERSION_1,
                restoredSplit());
    }

    @Test
    void enumeratorStateV1() throws IOException {
        check(
                ENUM_STATES,
                "enumerator-state/v1.bin",
                PgWalStreamEnumStateSerializer.VERSION_1,
                enumState());
    }

    static SnapshotChunkSplit chunkSplit(boolean emitted) {
        SnapshotTable table =
                new SnapshotTable(
                        TableName.of("shop", "Order Items"),
                        16_384,
                        ReplicaIdentity.DEFAULT,
                        List.of(
                                new RelationColumn(RelationColumn.FLAG_KEY, "id", 20, -1),
                                new RelationColumn(0, "note ✓", 25, -1)),
                        new ChunkKey("id", "bigint", 20, true, false),
                        "(id > 10)");
        return new SnapshotChunkSplit(
                "orders_slot",
                table,
                new SnapshotChunk(table.name(), 1, 3, "1001", "2001"),
                "00000003-00000002-1",
                Lsn.parse("0/16B3748"),
                emitted);
    }

    static PgWalStreamEnumState enumStateWithSnapshot() {
        return enumStateWithSnapshot(Map.of());
    }

    static PgWalStreamEnumState enumStateWithSnapshot(Map<String, Long> rowsOfDone) {
        SnapshotChunkSplit done = chunkSplit(false);
        SnapshotChunkSplit first =
                new SnapshotChunkSplit(
                        done.groupId(),
                        done.table(),
                        new SnapshotChunk(done.table().name(), 0, 3, null, "1001"),
                        "00000004-00000009-1",
                        Lsn.parse("0/17000A0"),
                        false);
        SnapshotChunkSplit last =
                new SnapshotChunkSplit(
                        done.groupId(),
                        done.table(),
                        new SnapshotChunk(done.table().name(), 2, 3, "2001", null),
                        done.snapshotName(),
                        done.snapshotLsn(),
                        false);
        return new PgWalStreamEnumState(
                Set.of("a_slot"),
                List.of(restoredSplit()),
                List.of(
                        new GroupSnapshotState(
                                freshSplit().group(),
                                freshSplit(),
                                done.snapshotName(),
                                done.snapshotLsn(),
                                1_764_000_000_000L,
                                List.of(first, done, last),
                                Set.of(done.splitId()),
                                Set.of(last.splitId()),
                                rowsOfDone)));
    }

    static PgWalStreamSplit handedOverSplit() {
        SnapshotChunkSplit chunk = chunkSplit(false);
        return freshSplit()
                .afterSnapshot(
                        Lsn.parse("0/16B3748"),
                        new HandOverFilter(
                                List.of(
                                        new HandOverFilter.Range(
                                                16_384,
                                                chunk.table().chunkKey(),
                                                null,
                                                "1001",
                                                0x17000A0L))))
                .withProgress(new ChangePosition(0x16C0000L, 0, 3), Lsn.INVALID);
    }

    @Test
    void splitV2Stream() throws IOException {
        check(
                SPLITS,
                "split/v2-stream.bin",
                PgWalStreamSplitSerializer.VERSION_2,
                handedOverSplit());
    }

    @Test
    void splitV2Chunk() throws IOException {
        check(SPLITS, "split/v2-chunk.bin", PgWalStreamSplitSerializer.VERSION_2, chunkSplit(true));
    }

    @Test
    void enumeratorStateV2WithASnapshotInProgress() throws IOException {
        check(
                ENUM_STATES,
                "enumerator-state/v2.bin",
                PgWalStreamEnumStateSerializer.VERSION_2,
                enumStateWithSnapshot());
    }

    @Test
    void enumeratorStateV3KeepsTheRowsOfDoneChunks() throws IOException {
        check(
                ENUM_STATES,
                "enumerator-state/v3.bin",
                PgWalStreamEnumStateSerializer.VERSION_3,
                enumStateWithSnapshot(Map.of(chunkSplit(false).splitId(), 1000L)));
    }

    @Test
    void unknownVersionsAreRejectedWithTheReason() throws IOException {
        byte[] bytes = fixture("split/v1-fresh.bin");
        assertThatThrownBy(() -> SPLITS.deserialize(99, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 99")
                .hasMessageContaining("newer connector version");
        assertThatThrownBy(() -> ENUM_STATES.deserialize(99, fixture("enumerator-state/v1.bin")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 99");
    }

    private static <T> void check(
            SimpleVersionedSerializer<T> serializer, String name, int version, T expected)
            throws IOException {
        byte[] committed;
        if (Boolean.getBoolean(WRITE_PROPERTY) && version == serializer.getVersion()) {
            Path file = FIXTURE_DIR.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, serializer.serialize(expected));
            committed = Files.readAllBytes(file);
        } else {
            committed = fixture(name);
        }
        // Recursive: ChangePosition's equals ignores commitEndLsn, the fixture must not.
        assertThat(serializer.deserialize(version, committed))
                .usingRecursiveComparison()
                .isEqualTo(expected);
        if (version == serializer.getVersion()) {
            assertThat(serializer.serialize(expected))
                    .as("the current layout writes the committed bytes of %s", name)
                    .isEqualTo(committed);
        }
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in =
                SerializerFixturesTest.class.getResourceAsStream("/serializer-fixtures/" + name)) {
            assertThat(in)
                    .as(
                            "fixture %s (write the current version's with -D%s=true)",
                            name, WRITE_PROPERTY)
                    .isNotNull();
            return in.readAllBytes();
        }
    }
}
