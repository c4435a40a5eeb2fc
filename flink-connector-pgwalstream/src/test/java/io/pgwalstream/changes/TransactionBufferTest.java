package io.pgwalstream.changes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The raw buffer of one transaction: records survive spilling, truncation and reading back. */
@Timeout(60)
class TransactionBufferTest {

    @TempDir Path spill;

    private record Record(byte[] bytes, long lsn, long offset) {}

    @Test
    void randomAppendsSpillsAndTruncationsReadBackExactly() throws IOException {
        Random random = new Random(4711);
        for (int round = 0; round < 60; round++) {
            long limit = random.nextBoolean() ? 1 << 20 : 64 + random.nextInt(4096);
            BufferMemory memory = new BufferMemory(new AssemblerSettings(limit, spill));
            List<Record> model = new ArrayList<>();
            try (TransactionBuffer buffer = memory.newBuffer("round-" + round)) {
                for (int op = 0; op < 200; op++) {
                    int choice = random.nextInt(20);
                    if (choice == 0 && !model.isEmpty()) {
                        int keep = random.nextInt(model.size());
                        buffer.truncate(model.get(keep).offset());
                        model.subList(keep, model.size()).clear();
                    } else if (choice == 1) {
                        buffer.spill();
                    } else {
                        byte[] bytes = randomBytes(random);
                        long lsn = random.nextLong();
                        long offset = buffer.append(bytes, 0, bytes.length, lsn);
                        model.add(new Record(bytes, lsn, offset));
                    }
                    if (op % 50 == 49) {
                        assertReadsBack(buffer, model);
                    }
                }
                assertReadsBack(buffer, model);
                assertThat(memory.inMemoryBytes()).isEqualTo(buffer.memoryBytes());
            }
            assertThat(memory.inMemoryBytes()).isZero();
            assertThat(memory.openSpillFiles()).isZero();
            try (Stream<Path> files = Files.list(spill)) {
                assertThat(files).as("spill files deleted on close").isEmpty();
            }
        }
    }

    @Test
    void recordsLargerThanAReadBlockAndAChunkRoundTrip() {
        BufferMemory memory = new BufferMemory(new AssemblerSettings(1024, spill));
        try (TransactionBuffer buffer = memory.newBuffer("large")) {
            List<Record> model = new ArrayList<>();
            for (int size : new int[] {3, 200_000, 10, TransactionBuffer.READ_BLOCK_BYTES, 7}) {
                byte[] bytes = new byte[size];
                Arrays.fill(bytes, (byte) size);
                model.add(new Record(bytes, size, buffer.append(bytes, 0, size, size)));
            }
            assertThat(buffer.hasSpillFile()).isTrue();
            assertReadsBack(buffer, model);
        }
    }

    @Test
    void theLargestBufferSpillsFirstAndMemoryStaysNearTheLimit() {
        long limit = 16 << 10;
        BufferMemory memory = new BufferMemory(new AssemblerSettings(limit, spill));
        try (TransactionBuffer small = memory.newBuffer("small");
                TransactionBuffer large = memory.newBuffer("large")) {
            byte[] row = new byte[100];
            small.append(row, 0, row.length, 1L);
            for (int i = 0; i < 2_000; i++) {
                large.append(row, 0, row.length, i);
                assertThat(memory.inMemoryBytes()).isLessThanOrEqualTo(limit);
            }
            assertThat(large.spilledBytes()).isPositive();
            assertThat(small.hasSpillFile()).as("never the largest").isFalse();
            assertThat(memory.peakInMemoryBytes()).isLessThanOrEqualTo(limit + memory.chunkBytes());
            assertThat(memory.spilledBytes()).isEqualTo(large.spilledBytes());
        }
    }

    private static byte[] randomBytes(Random random) {
        int size = random.nextInt(10) == 0 ? random.nextInt(20_000) : random.nextInt(200);
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void assertReadsBack(TransactionBuffer buffer, List<Record> model) {
        TransactionBuffer.Reader reader = buffer.reader();
        for (Record expected : model) {
            assertThat(reader.next()).isTrue();
            byte[] actual =
                    Arrays.copyOfRange(
                            reader.array(), reader.offset(), reader.offset() + reader.length());
            assertThat(actual).isEqualTo(expected.bytes());
            assertThat(reader.lsn()).isEqualTo(expected.lsn());
        }
        assertThat(reader.next()).isFalse();
    }
}
