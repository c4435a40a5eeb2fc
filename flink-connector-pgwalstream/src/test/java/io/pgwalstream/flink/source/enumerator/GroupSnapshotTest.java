package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.flink.source.split.SnapshotChunkSplit;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.snapshot.ChunkKey;
import io.pgwalstream.snapshot.SnapshotChunk;
import io.pgwalstream.snapshot.SnapshotTable;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Counting chunks and rows per table, and keeping the counts through a restore. */
class GroupSnapshotTest {

    private static final SlotGroup GROUP =
            new SlotGroup(
                    "g_slot",
                    "g_pub",
                    List.of(TableName.of("public", "a"), TableName.of("public", "b")));

    @Test
    void rowsOfDoneChunksSurviveARestoreAndAreCountedPerTable() {
        List<SnapshotChunkSplit> chunks = new ArrayList<>();
        chunks.addAll(chunksOf(table("a", 1), 3));
        chunks.addAll(chunksOf(table("b", 2), 2));
        GroupSnapshot snapshot = GroupSnapshot.restored(state(chunks));

        report(snapshot, chunks.get(0), 100);
        report(snapshot, chunks.get(1), 50);
        report(snapshot, chunks.get(3), 7);
        GroupSnapshotState checkpoint = snapshot.checkpoint(1);
        snapshot.checkpointCompleted(1);
        // Emitted after the checkpoint: gone with the failure, read again after it.
        report(snapshot, chunks.get(2), 30);

        GroupSnapshot restored = GroupSnapshot.restored(checkpoint);

        assertThat(restored.rows()).isEqualTo(157);
        assertThat(restored.done()).isEqualTo(3);
        Map<String, TableSnapshotProgress> tables = restored.tables();
        assertThat(tables.keySet()).containsExactly("public.a", "public.b");
        assertThat(tables.get("public.a")).isEqualTo(new TableSnapshotProgress(3, 2, 150));
        assertThat(tables.get("public.b")).isEqualTo(new TableSnapshotProgress(2, 1, 7));
        assertThat(tables.get("public.a").remaining()).isEqualTo(1);
    }

    @Test
    void aReaderFailureTakesBackTheRowsOfItsUncheckpointedReports() {
        List<SnapshotChunkSplit> chunks = chunksOf(table("a", 1), 2);
        GroupSnapshot snapshot = GroupSnapshot.restored(state(chunks));
        report(snapshot, chunks.get(0), 10);
        snapshot.checkpoint(1);
        snapshot.checkpointCompleted(1);
        report(snapshot, chunks.get(1), 20);

        snapshot.readerFailed(0);

        assertThat(snapshot.rows()).isEqualTo(10);
        assertThat(snapshot.tables().get("public.a"))
                .isEqualTo(new TableSnapshotProgress(2, 1, 10));
    }

    @Test
    void progressShowsEveryTableAndKeepsFinishedOnes() {
        List<SnapshotChunkSplit> chunks = new ArrayList<>();
        chunks.addAll(chunksOf(table("a", 1), 1));
        chunks.addAll(chunksOf(table("b", 2), 1));
        GroupSnapshot snapshot = GroupSnapshot.restored(state(chunks));
        SnapshotProgress progress = new SnapshotProgress(List.of(snapshot));
        assertThat(progress.progressOf("public.b")).isEqualTo(new TableSnapshotProgress(1, 0, 0));

        report(snapshot, chunks.get(0), 4);
        report(snapshot, chunks.get(1), 5);
        snapshot.checkpoint(1);
        snapshot.checkpointCompleted(1);
        progress.finished(snapshot);

        assertThat(progress.progressOf("public.a")).isEqualTo(new TableSnapshotProgress(1, 1, 4));
        assertThat(progress.progressOf("public.b")).isEqualTo(new TableSnapshotProgress(1, 1, 5));
    }

    private static void report(GroupSnapshot snapshot, SnapshotChunkSplit chunk, long rows) {
        snapshot.assigned(chunk.splitId(), 0);
        assertThat(snapshot.reported(chunk.splitId(), 0, rows)).isTrue();
    }

    private static GroupSnapshotState state(List<SnapshotChunkSplit> chunks) {
        return new GroupSnapshotState(
                GROUP,
                null,
                "00000003-00000002-1",
                Lsn.parse("0/16B3748"),
                1_764_000_000_000L,
                chunks,
                Set.of(),
                Set.of(),
                Map.of());
    }

    private static SnapshotTable table(String name, int oid) {
        return new SnapshotTable(
                TableName.of("public", name),
                oid,
                ReplicaIdentity.DEFAULT,
                List.of(new RelationColumn(RelationColumn.FLAG_KEY, "id", 20, -1)),
                new ChunkKey("id", "bigint", 20, true, false),
                null);
    }

    private static List<SnapshotChunkSplit> chunksOf(SnapshotTable table, int count) {
        List<SnapshotChunkSplit> chunks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chunks.add(
                    new SnapshotChunkSplit(
                            GROUP.id(),
                            table,
                            new SnapshotChunk(
                                    table.name(),
                                    i,
                                    count,
                                    i == 0 ? null : String.valueOf(i * 1000),
                                    i == count - 1 ? null : String.valueOf((i + 1) * 1000)),
                            "00000003-00000002-1",
                            Lsn.parse("0/16B3748"),
                            false));
        }
        return chunks;
    }
}
