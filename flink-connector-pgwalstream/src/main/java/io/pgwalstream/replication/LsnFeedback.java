package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The flushed and applied LSNs to report to the server: thread-safe and monotonic. Any thread may
 * advance them (the Flink checkpoint-completion path does); the session's I/O thread reads them and
 * sends a status update soon after they move. Nothing else ever chooses the flush LSN the server is
 * told — in particular not a keepalive, so no driver heuristic can confirm data behind our back.
 *
 * <p>Comparison is unsigned: LSNs are unsigned 64-bit positions.
 */
public final class LsnFeedback {

    private final AtomicLong flushed = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private volatile Runnable onAdvance = () -> {};

    public LsnFeedback() {}

    public LsnFeedback(Lsn initialFlushed) {
        flushed.set(initialFlushed.value());
        applied.set(initialFlushed.value());
    }

    /**
     * Moves the flushed LSN forward to {@code lsn} (and the applied LSN with it). A value at or
     * behind the current one is ignored.
     *
     * @return whether the flushed LSN moved
     */
    public boolean advanceFlushed(Lsn lsn) {
        boolean moved = advance(flushed, lsn.value());
        advance(applied, lsn.value());
        if (moved) {
            onAdvance.run();
        }
        return moved;
    }

    /** Moves only the applied LSN (reported for monitoring; the server does not act on it). */
    public boolean advanceApplied(Lsn lsn) {
        boolean moved = advance(applied, lsn.value());
        if (moved) {
            onAdvance.run();
        }
        return moved;
    }

    public Lsn flushed() {
        return Lsn.of(flushed.get());
    }

    public Lsn applied() {
        return Lsn.of(applied.get());
    }

    long flushedValue() {
        return flushed.get();
    }

    long appliedValue() {
        return applied.get();
    }

    /** Called by the session to be woken when an LSN moves. */
    void onAdvance(Runnable listener) {
        this.onAdvance = listener;
    }

    private static boolean advance(AtomicLong holder, long target) {
        while (true) {
            long current = holder.get();
            if (Long.compareUnsigned(target, current) <= 0) {
                return false;
            }
            if (holder.compareAndSet(current, target)) {
                return true;
            }
        }
    }

    @Override
    public String toString() {
        return "LsnFeedback{flushed=" + flushed() + ", applied=" + applied() + "}";
    }
}
