package io.pgwalstream.changes;

/** Counters of a {@link TransactionAssembler}, for metrics: safe to read from any thread. */
public final class AssemblerMetrics {

    private final BufferMemory memory;
    private final StreamedTransactions streamed;
    private final PreparedTransactions prepared;

    AssemblerMetrics(
            BufferMemory memory, StreamedTransactions streamed, PreparedTransactions prepared) {
        this.memory = memory;
        this.streamed = streamed;
        this.prepared = prepared;
    }

    /** Bytes of buffered transactions currently on the heap. */
    public long bufferedBytesInMemory() {
        return memory.inMemoryBytes();
    }

    /** The most bytes of buffered transactions held on the heap at once. */
    public long peakBufferedBytesInMemory() {
        return memory.peakInMemoryBytes();
    }

    /** The configured memory bound. */
    public long memoryLimitBytes() {
        return memory.limitBytes();
    }

    /** Bytes written to spill files since the assembler was created. */
    public long spilledBytes() {
        return memory.spilledBytes();
    }

    /** Spill files created since the assembler was created. */
    public long spillFilesCreated() {
        return memory.spillFilesCreated();
    }

    /** Spill files that exist now. */
    public int openSpillFiles() {
        return memory.openSpillFiles();
    }

    /** Streamed and prepared transactions buffered now. */
    public int bufferedTransactions() {
        return memory.bufferCount();
    }

    /** Stream Abort messages for transactions this session never saw streamed (ignored). */
    public long strayStreamAborts() {
        return streamed.strayAborts();
    }

    /** Rollback Prepared messages for unknown gids or non-matching PREPAREs (ignored). */
    public long ignoredRollbackPrepared() {
        return prepared.ignoredRollbacks();
    }

    /** Streamed transactions whose partial state was dropped by a new first segment. */
    public long restartedStreams() {
        return streamed.restarted();
    }
}
