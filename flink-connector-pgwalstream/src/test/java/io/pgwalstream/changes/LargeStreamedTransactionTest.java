package io.pgwalstream.changes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A streamed transaction many times larger than the memory bound goes through with the buffered
 * bytes on the heap never above the bound (plus one chunk): the rest is spilled, and the spill file
 * is gone afterwards. {@link LargeStreamedTransactionTool} runs the same with 5 million rows and
 * reports the heap; this is the small, always-run version (not a timed test).
 */
@Timeout(300)
class LargeStreamedTransactionTest {

    @TempDir Path spill;

    @Test
    void aTransactionFarLargerThanTheBoundStaysWithinIt() throws IOException {
        long limit = 1L << 20;

        LargeStreamedTransactionTool.Result result =
                LargeStreamedTransactionTool.run(200_000, limit, spill);

        assertThat(result.events()).isEqualTo(200_000);
        assertThat(result.messageBytes()).isGreaterThan(20 * limit);
        assertThat(result.peakBufferedBytes())
                .isLessThanOrEqualTo(limit + BufferMemory.MAX_CHUNK_BYTES);
        assertThat(result.spilledBytes()).isGreaterThan(result.messageBytes() - 2 * limit);
        try (Stream<Path> files = Files.list(spill)) {
            assertThat(files).isEmpty();
        }
    }
}
