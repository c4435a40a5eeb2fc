package io.pgwalstream.flink.source.reader;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Tells the task thread which LSN became safe to confirm once it emitted a given number of a
 * split's records. The fetcher thread knows when a transaction closes (or a keepalive shows the
 * slot idle) but records reach the emitter later; a ledger of {@code (records fetched so far, safe
 * LSN)} entries lets the emitter apply each entry exactly when it has emitted that many records.
 *
 * <p>This keeps transaction markers and keepalives out of the record stream, where they would count
 * as records (Flink's numRecordsIn) although nothing was emitted.
 */
final class SplitProgress {

    private record Entry(long recordsFetched, long safeLsn) {}

    private final ConcurrentLinkedQueue<Entry> ledger = new ConcurrentLinkedQueue<>();
    // Fetcher thread only.
    private long fetched;
    private long lastSafeLsn;
    // Task thread only.
    private long emitted;

    /** Fetcher thread: one more record goes into a batch. */
    void recordFetched() {
        fetched++;
    }

    /** Fetcher thread: once every record fetched so far is emitted, {@code safeLsn} is safe. */
    void safeAfterFetchedRecords(long safeLsn) {
        if (safeLsn != 0 && Long.compareUnsigned(safeLsn, lastSafeLsn) > 0) {
            lastSafeLsn = safeLsn;
            ledger.add(new Entry(fetched, safeLsn));
        }
    }

    /** Task thread: one more record was emitted. */
    void recordEmitted() {
        emitted++;
    }

    /**
     * Task thread: the highest LSN made safe by what was emitted so far, or 0 if nothing new.
     * Consumes the entries it returns.
     */
    long takeSafeLsn() {
        long safe = 0;
        Entry head;
        while ((head = ledger.peek()) != null && head.recordsFetched() <= emitted) {
            ledger.poll();
            safe = head.safeLsn();
        }
        return safe;
    }
}
