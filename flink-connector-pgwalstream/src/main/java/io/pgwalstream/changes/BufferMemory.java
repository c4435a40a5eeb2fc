package io.pgwalstream.changes;

import java.util.ArrayList;
import java.util.List;

/**
 * Memory accounting for all {@link TransactionBuffer}s of one assembler, and the spill policy:
 * whenever the bytes held in memory exceed the limit, the largest in-memory buffer is written to
 * its spill file, until the total is back under the limit. One large transaction therefore never
 * holds more than the limit (plus one chunk) on the heap, however many rows it has.
 *
 * <p>Creating one sweeps the spill files a dead process left behind ({@link SpillFiles}).
 *
 * <p>Owned by the assembler's thread; the counters are volatile so that metric gauges may read them
 * from other threads.
 */
final class BufferMemory {

    /** Chunks are at most this large, so a spill frees memory in reasonable steps. */
    static final int MAX_CHUNK_BYTES = 64 << 10;

    static final int MIN_CHUNK_BYTES = 256;

    private final long limitBytes;
    private final SpillFiles spillFiles;
    private final int chunkBytes;
    private final List<TransactionBuffer> buffers = new ArrayList<>();

    private volatile long inMemoryBytes;
    private volatile long peakInMemoryBytes;
    private volatile long spilledBytes;
    private volatile long spillFilesCreated;
    private volatile int openSpillFiles;
    private volatile int bufferCount;

    BufferMemory(AssemblerSettings settings) {
        this.limitBytes = settings.memoryLimitBytes();
        this.spillFiles = new SpillFiles(settings.spillDirectory());
        this.chunkBytes =
                (int) Math.max(MIN_CHUNK_BYTES, Math.min(MAX_CHUNK_BYTES, limitBytes / 8));
    }

    TransactionBuffer newBuffer(String label) {
        TransactionBuffer buffer = new TransactionBuffer(this, label);
        buffers.add(buffer);
        bufferCount = buffers.size();
        return buffer;
    }

    void closed(TransactionBuffer buffer) {
        buffers.remove(buffer);
        bufferCount = buffers.size();
    }

    int chunkBytes() {
        return chunkBytes;
    }

    /** Where the buffers create and delete their spill files. */
    SpillFiles spillFiles() {
        return spillFiles;
    }

    /** Deletes what is left of the spill files, after every buffer was closed. */
    void closeSpillFiles() {
        spillFiles.close();
    }

    void allocated(long bytes) {
        long now = inMemoryBytes + bytes;
        inMemoryBytes = now;
        if (now > peakInMemoryBytes) {
            peakInMemoryBytes = now;
        }
    }

    void released(long bytes) {
        inMemoryBytes -= bytes;
    }

    void spilled(long bytes) {
        spilledBytes += bytes;
    }

    void spillFileCreated() {
        spillFilesCreated++;
        openSpillFiles++;
    }

    void spillFileDeleted() {
        openSpillFiles--;
    }

    /** Spills the largest buffers until the bytes in memory are within the limit. */
    void enforceLimit() {
        while (inMemoryBytes > limitBytes) {
            TransactionBuffer largest = null;
            for (TransactionBuffer buffer : buffers) {
                if (largest == null || buffer.memoryBytes() > largest.memoryBytes()) {
                    largest = buffer;
                }
            }
            if (largest == null || largest.memoryBytes() == 0) {
                return;
            }
            largest.spill();
        }
    }

    long limitBytes() {
        return limitBytes;
    }

    long inMemoryBytes() {
        return inMemoryBytes;
    }

    long peakInMemoryBytes() {
        return peakInMemoryBytes;
    }

    long spilledBytes() {
        return spilledBytes;
    }

    long spillFilesCreated() {
        return spillFilesCreated;
    }

    int openSpillFiles() {
        return openSpillFiles;
    }

    int bufferCount() {
        return bufferCount;
    }
}
