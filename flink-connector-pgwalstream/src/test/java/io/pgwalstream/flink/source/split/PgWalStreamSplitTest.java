package io.pgwalstream.flink.source.split;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.protocol.StreamingMode;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.snapshot.HandOverFilter;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PgWalStreamSplitTest {

    private static final Lsn SNAPSHOT = Lsn.parse("0/3000000");

    private static PgWalStreamSplit afterSnapshot() {
        return PgWalStreamSplit.fresh(
                        new SlotGroup("s", "p", List.of(TableName.of("public", "t"))),
                        new PgOutputOptions(4, StreamingMode.PARALLEL, false, false, true),
                        null,
                        Lsn.INVALID,
                        Lsn.INVALID)
                .afterSnapshot(SNAPSHOT, HandOverFilter.NONE);
    }

    @Test
    void aFreshSplitIsNotRestored() {
        assertThat(afterSnapshot().restored()).isFalse();
    }

    @Test
    void aCheckpointBehindTheStartResumesAtTheStart() {
        // An older slot's keepalives can report a position before the snapshot's: the rows in
        // between are in the snapshot, so the stream must not start there.
        PgWalStreamSplit split = afterSnapshot().withProgress(null, Lsn.parse("0/2000000"));
        assertThat(split.restored()).isTrue();
        assertThat(split.resumeLsn()).isEqualTo(SNAPSHOT);
    }

    @Test
    void aCheckpointPastTheStartResumesAtTheCheckpoint() {
        PgWalStreamSplit split = afterSnapshot().withProgress(null, Lsn.parse("0/4000000"));
        assertThat(split.resumeLsn()).isEqualTo(Lsn.parse("0/4000000"));
    }

    @Test
    void aSplitWithoutAStartResumesAtItsCheckpoint() {
        PgWalStreamSplit split =
                PgWalStreamSplit.fresh(
                                new SlotGroup("s", "p", List.of()),
                                new PgOutputOptions(1, StreamingMode.OFF, false, false, false),
                                null,
                                Lsn.INVALID,
                                Lsn.INVALID)
                        .withProgress(null, Lsn.parse("0/10"));
        assertThat(split.resumeLsn()).isEqualTo(Lsn.parse("0/10"));
    }
}
