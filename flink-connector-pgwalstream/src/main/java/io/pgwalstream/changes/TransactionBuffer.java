package io.pgwalstream.changes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw pgoutput messages of one buffered (streamed or prepared) transaction, in arrival order,
 * kept as bytes so they can be spilled to disk and decoded again at commit.
 *
 * <p><b>Format.</b> The buffer is a sequence of records {@code [Int32 length][Int64 lsn][length
 * bytes of the pgoutput message]}, big-endian, where {@code lsn} is the XLogData LSN the message
 * arrived with (for error reports on replay). A record's <em>offset</em> is its position in that
 * sequence. Records {@code [0, fileBytes)} live in the spill file (exactly these bytes, nothing
 * else: no file header, since the file never outlives the process that wrote it), the rest in
 * memory chunks. A record never spans two chunks.
 *
 * <p>A spill file is created on the first spill, in the assembler's run directory under the
 * configured directory ({@link SpillFiles}), and deleted when the buffer is {@linkplain #close()
 * closed} (commit, abort, reset, assembler close).
 *
 * <p>Not thread-safe.
 */
final class TransactionBuffer implements AutoCloseable {

    /** Int32 length + Int64 LSN. */
    static final int HEADER_BYTES = 12;

    /** Bytes read from the spill file at a time on replay (more if one record needs it). */
    static final int READ_BLOCK_BYTES = 64 << 10;

    private final BufferMemory memory;
    private final String label;
    private final List<Chunk> chunks = new ArrayList<>();
    private long size;
    private long fileBytes;
    private long memoryBytes;
    private Path file;
    private FileChannel channel;
    private boolean closed;

    /** A memory chunk: records from {@code start} (a buffer offset) over {@code used} bytes. */
    private static final class Chunk {
        final byte[] bytes;
        final long start;
        int used;

        Chunk(int capacity, long start) {
            this.bytes = new byte[capacity];
            this.start = start;
        }
    }

    TransactionBuffer(BufferMemory memory, String label) {
        this.memory = memory;
        this.label = label;
    }

    /**
     * Appends one message and applies the memory limit (which may spill this or another buffer).
     *
     * @return the offset of the new record
     */
    long append(byte[] message, int offset, int length, long lsn) {
        ensureOpen();
        long recordOffset = size;
        int recordBytes = HEADER_BYTES + length;
        Chunk chunk = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
        if (chunk == null || chunk.bytes.length - chunk.used < recordBytes) {
            chunk = new Chunk(Math.max(memory.chunkBytes(), recordBytes), size);
            chunks.add(chunk);
            memoryBytes += chunk.bytes.length;
            memory.allocated(chunk.bytes.length);
        }
        byte[] b = chunk.bytes;
        int p = chunk.used;
        putInt(b, p, length);
        putLong(b, p + 4, lsn);
        System.arraycopy(message, offset, b, p + HEADER_BYTES, length);
        chunk.used += recordBytes;
        size += recordBytes;
        memory.enforceLimit();
        return recordOffset;
    }

    /** Drops every record from {@code offset} on. */
    void truncate(long offset) {
        ensureOpen();
        if (offset < 0 || offset > size) {
            throw new IllegalArgumentException(
                    "truncate offset " + offset + " outside [0, " + size + "] of " + label);
        }
        if (offset < fileBytes) {
            try {
                channel.truncate(offset);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot truncate spill file " + file, e);
            }
            fileBytes = offset;
            releaseChunksFrom(0);
        } else {
            int keep = 0;
            while (keep < chunks.size() && chunks.get(keep).start < offset) {
                Chunk chunk = chunks.get(keep);
                chunk.used = (int) Math.min(chunk.used, offset - chunk.start);
                keep++;
            }
            releaseChunksFrom(keep);
        }
        size = offset;
    }

    /** Writes the in-memory records to the spill file and frees their chunks. */
    void spill() {
        ensureOpen();
        if (chunks.isEmpty()) {
            return;
        }
        try {
            if (channel == null) {
                file = memory.spillFiles().create(label);
                memory.spillFileCreated();
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            long written = 0;
            for (Chunk chunk : chunks) {
                ByteBuffer source = ByteBuffer.wrap(chunk.bytes, 0, chunk.used);
                long at = fileBytes + written;
                while (source.hasRemaining()) {
                    at += channel.write(source, at);
                }
                written += chunk.used;
            }
            fileBytes += written;
            memory.spilled(written);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot spill " + label + " to " + describeFile(), e);
        }
        releaseChunksFrom(0);
    }

    private void releaseChunksFrom(int index) {
        for (int i = chunks.size() - 1; i >= index; i--) {
            Chunk removed = chunks.remove(i);
            memoryBytes -= removed.bytes.length;
            memory.released(removed.bytes.length);
        }
    }

    /** Total record bytes, in memory and on disk. */
    long size() {
        return size;
    }

    /** Heap held by this buffer's chunks. */
    long memoryBytes() {
        return memoryBytes;
    }

    /** Record bytes currently in the spill file. */
    long spilledBytes() {
        return fileBytes;
    }

    boolean hasSpillFile() {
        return file != null;
    }

    /** The spill file, or null if this buffer never spilled. */
    Path spillFile() {
        return file;
    }

    String label() {
        return label;
    }

    /**
     * A reader over the records, spill file first. The buffer must not change while it is used.
     * Records are read into fresh arrays (memory chunks are handed out as they are), so views into
     * them stay valid after the reader moved on.
     */
    Reader reader() {
        ensureOpen();
        return new Reader();
    }

    /** Deletes the spill file and frees the memory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        releaseChunksFrom(0);
        memory.closed(this);
        if (file != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Deleting below is what matters.
            }
            try {
                memory.spillFiles().delete(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete spill file " + file, e);
            } finally {
                memory.spillFileDeleted();
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("buffer " + label + " is closed");
        }
    }

    private String describeFile() {
        return file != null ? file.toString() : memory.spillFiles().toString();
    }

    /** Sequential access to the records; {@link #next()} before each. */
    final class Reader {
        private long filePosition;
        private byte[] block = new byte[0];
        private int blockPosition;
        private int blockLimit;
        private int chunkIndex;
        private int chunkPosition;

        private byte[] array;
        private int offset;
        private int length;
        private long lsn;

        /** Moves to the next record; false when there is none. */
        boolean next() {
            if (filePosition < fileBytes || blockPosition < blockLimit) {
                nextFromFile();
                return true;
            }
            while (chunkIndex < chunks.size()) {
                Chunk chunk = chunks.get(chunkIndex);
                if (chunkPosition < chunk.used) {
                    read(chunk.bytes, chunkPosition);
                    chunkPosition += HEADER_BYTES + length;
                    return true;
                }
                chunkIndex++;
                chunkPosition = 0;
            }
            return false;
        }

        private void nextFromFile() {
            ensureInBlock(HEADER_BYTES);
            int recordLength = getInt(block, blockPosition);
            ensureInBlock(HEADER_BYTES + recordLength);
            read(block, blockPosition);
            blockPosition += HEADER_BYTES + recordLength;
        }

        private void read(byte[] source, int at) {
            array = source;
            length = getInt(source, at);
            lsn = getLong(source, at + 4);
            offset = at + HEADER_BYTES;
        }

        /** Makes sure {@code needed} bytes from {@code blockPosition} are in a block. */
        private void ensureInBlock(int needed) {
            int available = blockLimit - blockPosition;
            if (available >= needed) {
                return;
            }
            long remainingInFile = fileBytes - filePosition;
            if (available + remainingInFile < needed) {
                throw new IllegalStateException(
                        "spill file " + file + " of " + label + " ends inside a record");
            }
            // A fresh array every time: events handed out earlier still view the old one.
            int capacity =
                    (int) Math.max(needed, Math.min(READ_BLOCK_BYTES, available + remainingInFile));
            byte[] fresh = new byte[capacity];
            System.arraycopy(block, blockPosition, fresh, 0, available);
            ByteBuffer target = ByteBuffer.wrap(fresh, available, capacity - available);
            try {
                while (target.hasRemaining()) {
                    int n = channel.read(target, filePosition);
                    if (n < 0) {
                        throw new IOException("unexpected end of file at " + filePosition);
                    }
                    filePosition += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read spill file " + file, e);
            }
            block = fresh;
            blockPosition = 0;
            blockLimit = capacity;
        }

        byte[] array() {
            return array;
        }

        int offset() {
            return offset;
        }

        int length() {
            return length;
        }

        long lsn() {
            return lsn;
        }
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }

    static int getInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24)
                | ((b[at + 1] & 0xFF) << 16)
                | ((b[at + 2] & 0xFF) << 8)
                | (b[at + 3] & 0xFF);
    }

    static long getLong(byte[] b, int at) {
        return ((long) getInt(b, at) << 32) | (getInt(b, at + 4) & 0xFFFF_FFFFL);
    }
}
