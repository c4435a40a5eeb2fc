package io.pgwalstream.changes;

import io.pgwalstream.protocol.PgOutputEncoder;
import io.pgwalstream.protocol.PgOutputMessage;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static io.pgwalstream.changes.Messages.ITEMS;

/**
 * Demonstrates that one huge streamed transaction passes through the assembler with the heap
 * bounded by the configured memory limit: feeds synthetic pgoutput (Stream Start, inserts of ~100
 * byte rows in blocks of 10,000, Stream Stop, …, Stream Commit), drains the events, and reports the
 * live heap after each garbage collection, the assembler's own peak, and the spilled bytes.
 *
 * <pre>
 * java -Xmx128m -cp target/test-classes:target/classes \
 *     io.pgwalstream.changes.LargeStreamedTransactionTool [rows=5000000] [limitBytes=33554432] [dir]
 *     [nosample]
 * </pre>
 *
 * Not a timed test: {@link LargeStreamedTransactionTest} runs it small and checks the bounds.
 */
public final class LargeStreamedTransactionTool {

    static final int TOP_XID = 4242;
    static final int ROWS_PER_BLOCK = 10_000;

    /** Rows between live-heap samples (each a full GC) when sampling is on. */
    static final long SAMPLE_EVERY = 250_000;

    /** What one run measured. */
    record Result(
            long rows,
            long messageBytes,
            long events,
            long memoryLimitBytes,
            long peakBufferedBytes,
            long spilledBytes,
            long spillFiles,
            long maxLiveHeapAfterGc,
            long gcCount,
            long maxLiveHeapAtSamples,
            long millis) {

        String describe() {
            return String.format(
                    "rows=%,d  pgoutput bytes=%,d (%.0f MiB)  events=%,d%nmemory limit=%,d "
                        + " assembler peak in memory=%,d  spilled=%,d bytes in %d file(s)%nheap"
                        + " used after each GC, max=%,d (%.1f MiB) over %d GCs  max heap=%,d (%.0f"
                        + " MiB)%nlive heap after a full GC every %,d rows in and out, max=%,d"
                        + " (%.1f MiB)%ntime=%,d ms (%,.0f rows/s in + out)",
                    rows,
                    messageBytes,
                    messageBytes / 1048576.0,
                    events,
                    memoryLimitBytes,
                    peakBufferedBytes,
                    spilledBytes,
                    spillFiles,
                    maxLiveHeapAfterGc,
                    maxLiveHeapAfterGc / 1048576.0,
                    gcCount,
                    Runtime.getRuntime().maxMemory(),
                    Runtime.getRuntime().maxMemory() / 1048576.0,
                    SAMPLE_EVERY,
                    maxLiveHeapAtSamples,
                    maxLiveHeapAtSamples / 1048576.0,
                    millis,
                    rows * 1000.0 / Math.max(1, millis));
        }
    }

    private LargeStreamedTransactionTool() {}

    public static void main(String[] args) throws IOException {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        long limit = args.length > 1 ? Long.parseLong(args[1]) : 32L << 20;
        Path dir =
                args.length > 2
                        ? Path.of(args[2])
                        : Files.createTempDirectory("pgwalstream-large-txn");
        boolean sample = args.length <= 3 || !args[3].equals("nosample");
        Result result = run(rows, limit, dir, sample);
        System.out.println(result.describe());
    }

    static Result run(long rows, long memoryLimit, Path spillDirectory) {
        return run(rows, memoryLimit, spillDirectory, false);
    }

    /**
     * @param sampleLiveHeap whether to force a full GC every {@link #SAMPLE_EVERY} rows (fed and
     *     drained) and record the heap still in use: the live set, garbage excluded
     */
    static Result run(long rows, long memoryLimit, Path spillDirectory, boolean sampleLiveHeap) {
        GcWatcher gc = new GcWatcher();
        long maxSampled = 0;
        long start = System.nanoTime();
        long messageBytes = 0;
        long events = 0;
        TransactionAssembler assembler =
                new TransactionAssembler(
                        Messages.OPTIONS, new AssemblerSettings(memoryLimit, spillDirectory));
        try {
            messageBytes += feed(assembler, Messages.start(TOP_XID, true));
            messageBytes +=
                    feed(assembler, Messages.relation(TOP_XID, ITEMS, "items", "id", "payload"));
            byte[] payload = "p".repeat(100).getBytes(StandardCharsets.US_ASCII);
            for (long row = 1; row <= rows; row++) {
                byte[] insert = insert(row, payload);
                assembler.accept(insert, 0, insert.length, row);
                messageBytes += insert.length;
                if (sampleLiveHeap && row % SAMPLE_EVERY == 0) {
                    maxSampled = Math.max(maxSampled, liveHeap());
                }
                if (row % ROWS_PER_BLOCK == 0 && row < rows) {
                    messageBytes += feed(assembler, Messages.stop());
                    messageBytes += feed(assembler, Messages.start(TOP_XID, false));
                }
            }
            messageBytes += feed(assembler, Messages.stop());
            messageBytes +=
                    feed(assembler, Messages.streamCommit(TOP_XID, 0x7000_0000L, 0x7000_0040L));
            for (AssembledRecord r; (r = assembler.poll()) != null; ) {
                if (r instanceof ChangeEvent) {
                    ChangeEvent e = (ChangeEvent) r;
                    if (e.position().index() != ++events) {
                        throw new IllegalStateException("event " + events + " at " + e.position());
                    }
                    if (sampleLiveHeap && events % SAMPLE_EVERY == 0) {
                        maxSampled = Math.max(maxSampled, liveHeap());
                    }
                }
            }
            if (events != rows) {
                throw new IllegalStateException(events + " events for " + rows + " rows");
            }
            return new Result(
                    rows,
                    messageBytes,
                    events,
                    memoryLimit,
                    assembler.metrics().peakBufferedBytesInMemory(),
                    assembler.metrics().spilledBytes(),
                    assembler.metrics().spillFilesCreated(),
                    gc.maxLiveAfterGc(),
                    gc.count(),
                    maxSampled,
                    (System.nanoTime() - start) / 1_000_000);
        } finally {
            assembler.close();
            gc.close();
        }
    }

    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long feed(TransactionAssembler assembler, PgOutputMessage message) {
        byte[] bytes = PgOutputEncoder.encode(message);
        assembler.accept(bytes, 0, bytes.length, 0L);
        return bytes.length;
    }

    /** {@code I}, xid, relation OID, {@code N}, a tuple (id text, payload text). */
    private static byte[] insert(long row, byte[] payload) {
        byte[] id = Long.toString(row).getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[1 + 4 + 4 + 1 + 2 + (1 + 4 + id.length) + (1 + 4 + payload.length)];
        int p = 0;
        b[p++] = 'I';
        TransactionBuffer.putInt(b, p, TOP_XID);
        p += 4;
        TransactionBuffer.putInt(b, p, ITEMS);
        p += 4;
        b[p++] = 'N';
        b[p++] = 0;
        b[p++] = 2;
        b[p++] = 't';
        TransactionBuffer.putInt(b, p, id.length);
        p += 4;
        System.arraycopy(id, 0, b, p, id.length);
        p += id.length;
        b[p++] = 't';
        TransactionBuffer.putInt(b, p, payload.length);
        p += 4;
        System.arraycopy(payload, 0, b, p, payload.length);
        return b;
    }

    /** Records the heap in use right after every garbage collection. */
    private static final class GcWatcher implements AutoCloseable {
        private final AtomicLong maxLive = new AtomicLong();
        private final AtomicLong count = new AtomicLong();
        private final List<Runnable> removals = new ArrayList<>();

        GcWatcher() {
            Set<String> heapPools = new HashSet<>();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
            for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
                NotificationEmitter emitter = (NotificationEmitter) bean;
                NotificationListener listener =
                        (notification, handback) -> {
                            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                                    .equals(notification.getType())) {
                                return;
                            }
                            GarbageCollectionNotificationInfo info =
                                    GarbageCollectionNotificationInfo.from(
                                            (CompositeData) notification.getUserData());
                            long used = 0;
                            for (Map.Entry<String, MemoryUsage> pool :
                                    info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                                if (heapPools.contains(pool.getKey())) {
                                    used += pool.getValue().getUsed();
                                }
                            }
                            count.incrementAndGet();
                            maxLive.accumulateAndGet(used, Math::max);
                        };
                emitter.addNotificationListener(listener, null, null);
                removals.add(
                        () -> {
                            try {
                                emitter.removeNotificationListener(listener);
                            } catch (Exception e) {
                                // already gone
                            }
                        });
            }
        }

        long maxLiveAfterGc() {
            return maxLive.get();
        }

        long count() {
            return count.get();
        }

        @Override
        public void close() {
            removals.forEach(Runnable::run);
        }
    }
}
