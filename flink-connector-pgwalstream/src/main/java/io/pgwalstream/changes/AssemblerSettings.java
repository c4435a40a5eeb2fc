package io.pgwalstream.changes;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How much of the buffered (streamed and prepared) transactions the {@link TransactionAssembler}
 * keeps on the heap, and where it spills the rest.
 *
 * @param memoryLimitBytes bound on buffered bytes held in memory, across all buffered transactions;
 *     past it the largest buffers are written to spill files. Ordinary transactions are never
 *     buffered and do not count.
 * @param spillDirectory where spill files are created (the directory is created if missing)
 */
public record AssemblerSettings(long memoryLimitBytes, Path spillDirectory) {

    /** 64 MiB. */
    public static final long DEFAULT_MEMORY_LIMIT_BYTES = 64L << 20;

    public AssemblerSettings {
        Objects.requireNonNull(spillDirectory, "spillDirectory");
        if (memoryLimitBytes <= 0) {
            throw new IllegalArgumentException(
                    "memoryLimitBytes must be positive, got " + memoryLimitBytes);
        }
    }

    /** The default limit, spilling to {@code java.io.tmpdir}. */
    public static AssemblerSettings defaults() {
        return new AssemblerSettings(
                DEFAULT_MEMORY_LIMIT_BYTES, Path.of(System.getProperty("java.io.tmpdir")));
    }

    public AssemblerSettings withMemoryLimitBytes(long bytes) {
        return new AssemblerSettings(bytes, spillDirectory);
    }

    public AssemblerSettings withSpillDirectory(Path directory) {
        return new AssemblerSettings(memoryLimitBytes, directory);
    }
}
