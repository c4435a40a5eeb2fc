package io.pgwalstream.changes;

import io.pgwalstream.protocol.PgOutputMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.pgwalstream.changes.Messages.ITEMS;
import static io.pgwalstream.changes.Messages.NO_XID;
import static io.pgwalstream.changes.Messages.OPTIONS;
import static io.pgwalstream.changes.Messages.abort;
import static io.pgwalstream.changes.Messages.begin;
import static io.pgwalstream.changes.Messages.beginPrepare;
import static io.pgwalstream.changes.Messages.commit;
import static io.pgwalstream.changes.Messages.commitPrepared;
import static io.pgwalstream.changes.Messages.insert;
import static io.pgwalstream.changes.Messages.message;
import static io.pgwalstream.changes.Messages.prepare;
import static io.pgwalstream.changes.Messages.relation;
import static io.pgwalstream.changes.Messages.start;
import static io.pgwalstream.changes.Messages.stop;
import static io.pgwalstream.changes.Messages.streamCommit;
import static io.pgwalstream.changes.Messages.streamPrepare;
import static org.assertj.core.api.Assertions.assertThat;

/** Buffered transactions spill to disk past the memory bound without changing the output. */
@Timeout(60)
class SpillTest {

    @TempDir Path inMemoryDir;
    @TempDir Path spillDir;

    /** Two interleaved streams with subtransaction aborts, a streamed and a plain prepare. */
    private static List<PgOutputMessage> scenario() {
        List<PgOutputMessage> m = new ArrayList<>();
        m.add(start(100, true));
        m.add(relation(100, ITEMS, "items", "id", "v"));
        for (int i = 0; i < 200; i++) {
            int xid = i < 50 ? 100 : i < 120 ? 101 : i < 150 ? 102 : 100;
            m.add(insert(xid, ITEMS, Integer.toString(i), "row " + i + " " + "x".repeat(i % 40)));
            if (i == 60) {
                m.add(stop());
                m.add(start(200, true));
                m.add(relation(200, ITEMS, "items", "id", "v"));
                m.add(insert(200, ITEMS, "s", "other stream"));
                m.add(message(201, true, 0x100L, "in a subtransaction"));
                m.add(stop());
                m.add(start(100, false));
            }
        }
        m.add(stop());
        m.add(abort(100, 102)); // discards rows 120-199: 102 was first seen at row 120
        m.add(abort(200, 201));
        m.add(begin(0x500L, 300));
        m.add(relation(NO_XID, ITEMS, "items", "id", "v"));
        m.add(insert(NO_XID, ITEMS, "o", "ordinary"));
        m.add(commit(0x500L, 0x530L));
        m.add(streamCommit(200, 0x600L, 0x630L));
        m.add(start(100, false));
        m.add(insert(100, ITEMS, "last", "after the abort"));
        m.add(stop());
        m.add(streamPrepare(0x650L, 100, "g-stream"));
        m.add(beginPrepare(0x680L, 400, "g-plain"));
        for (int i = 0; i < 30; i++) {
            m.add(insert(NO_XID, ITEMS, "p" + i, "prepared " + i));
        }
        m.add(prepare(0x680L, 400, "g-plain"));
        m.add(commitPrepared(0x700L, 100, "g-stream"));
        m.add(commitPrepared(0x800L, 400, "g-plain"));
        return m;
    }

    @Test
    void spilledTransactionsComeOutExactlyAsInMemoryOnes() throws IOException {
        List<AssembledRecord> inMemory;
        try (AssemblerHarness big =
                new AssemblerHarness(OPTIONS, new AssemblerSettings(64L << 20, inMemoryDir))) {
            scenario().forEach(big::send);
            assertThat(big.assembler.metrics().spilledBytes()).isZero();
            assertThat(big.assembler.metrics().spillFilesCreated()).isZero();
            inMemory = big.records;
        }
        try (AssemblerHarness tiny =
                new AssemblerHarness(OPTIONS, new AssemblerSettings(300, spillDir))) {
            scenario().forEach(tiny::send);

            assertThat(tiny.assembler.metrics().spilledBytes()).isPositive();
            assertThat(tiny.assembler.metrics().spillFilesCreated()).isGreaterThanOrEqualTo(2);
            assertThat(tiny.assembler.metrics().peakBufferedBytesInMemory())
                    .isLessThanOrEqualTo(BufferMemory.MIN_CHUNK_BYTES + 300);
            assertThat(tiny.records).isEqualTo(inMemory);
            assertThat(tiny.assembler.metrics().openSpillFiles()).isZero();
            assertThat(files(spillDir)).as("deleted after commit").isZero();
        }
        // ordinary 1 + 1; stream 200: 1 (the message of 201 aborted) + 1; g-stream: rows 0-119
        // and "last" (102 and all after its first row aborted) + 1; g-plain: 30 + 1.
        assertThat(inMemory).hasSize(2 + 2 + 122 + 31);
        assertThat(AssemblerHarness.describe((ChangeEvent) inMemory.get(0)))
                .isEqualTo("I:ordinary");
    }

    @Test
    void theSpillFileLivesUntilTheLastEventWasHandedOut() throws IOException {
        try (AssemblerHarness tiny =
                new AssemblerHarness(OPTIONS, new AssemblerSettings(100, spillDir))) {
            tiny.send(start(100, true), relation(100, ITEMS, "items", "id", "v"));
            for (int i = 0; i < 20; i++) {
                tiny.send(insert(100, ITEMS, Integer.toString(i), "v" + i));
            }
            tiny.send(stop());
            assertThat(files(spillDir)).isOne();

            tiny.accept(streamCommit(100, 0x700L, 0x730L));
            for (int i = 0; i < 20; i++) {
                assertThat(tiny.assembler.poll()).isInstanceOf(ChangeEvent.class);
                assertThat(files(spillDir)).isOne();
            }
            assertThat(tiny.assembler.poll()).isInstanceOf(TransactionCommitted.class);
            assertThat(files(spillDir)).isZero();
            assertThat(tiny.assembler.metrics().bufferedBytesInMemory()).isZero();
        }
    }

    @Test
    void abortAndCloseDeleteSpillFiles() throws IOException {
        AssemblerHarness tiny = new AssemblerHarness(OPTIONS, new AssemblerSettings(100, spillDir));
        tiny.send(
                start(100, true),
                relation(100, ITEMS, "items", "id", "v"),
                insert(100, ITEMS, "1", "a"),
                stop(),
                start(200, true),
                relation(200, ITEMS, "items", "id", "v"),
                insert(200, ITEMS, "1", "a"),
                stop(),
                relation(NO_XID, ITEMS, "items", "id", "v"),
                beginPrepare(0x680L, 400, "g"),
                insert(NO_XID, ITEMS, "1", "a"));
        assertThat(files(spillDir)).isEqualTo(3);

        tiny.send(abort(100, 100));
        assertThat(files(spillDir)).as("after abort").isEqualTo(2);
        assertThat(tiny.assembler.metrics().openSpillFiles()).isEqualTo(2);

        tiny.close();
        assertThat(files(spillDir)).as("after close").isZero();
        assertThat(SpillDirectories.entries(spillDir)).as("run directory removed").isZero();
        assertThat(tiny.assembler.metrics().openSpillFiles()).isZero();
        assertThat(tiny.assembler.metrics().bufferedBytesInMemory()).isZero();
    }

    @Test
    void aSubtransactionAbortTruncatesTheSpillFile() {
        try (AssemblerHarness tiny =
                new AssemblerHarness(OPTIONS, new AssemblerSettings(100, spillDir))) {
            tiny.send(start(100, true), relation(100, ITEMS, "items", "id", "v"));
            tiny.send(insert(100, ITEMS, "1", "kept"));
            for (int i = 0; i < 50; i++) {
                tiny.send(insert(101, ITEMS, Integer.toString(i), "aborted"));
            }
            long spilled = tiny.assembler.metrics().spilledBytes();
            tiny.send(
                    stop(),
                    abort(100, 101),
                    start(100, false),
                    insert(100, ITEMS, "2", "kept too"),
                    stop(),
                    streamCommit(100, 0x700L, 0x730L));

            assertThat(spilled).isPositive();
            assertThat(tiny.values()).containsExactly("I:kept", "I:kept too");
        }
    }

    private static long files(Path dir) throws IOException {
        return SpillDirectories.spillFiles(dir).size();
    }
}
