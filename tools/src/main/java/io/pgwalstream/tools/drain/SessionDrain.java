package io.pgwalstream.tools.drain;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.replication.LogicalStreamSpec;
import io.pgwalstream.replication.LsnFeedback;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.ReconnectPolicy;
import io.pgwalstream.replication.ReplicationSession;
import io.pgwalstream.replication.SessionSettings;
import io.pgwalstream.tools.drain.RunResult.Contender;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drains a slot with pg-walstream's {@link ReplicationSession}: its I/O thread reads CopyData and
 * hands it over; this (consumer) thread polls batches into a {@link DrainCounter}. Nothing is
 * decoded, as pg_recvlogical decodes nothing either.
 */
final class SessionDrain {

    /** Messages per poll, as a reader's fetch might take them. */
    static final int POLL_BATCH = 4096;

    private static final long TIMEOUT_MINUTES = 30;

    private SessionDrain() {}

    static RunResult drain(
            PgConnectionConfig config,
            String slot,
            PgOutputOptions options,
            Lsn end,
            CpuClock cpu,
            int run,
            boolean warmup)
            throws InterruptedException {
        LogicalStreamSpec spec =
                LogicalStreamSpec.of(slot, List.of(BenchDatabase.PUBLICATION), options);
        DrainCounter counter = new DrainCounter(end);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(TIMEOUT_MINUTES);
        boolean rss = PeakRss.resetSelf();
        long process0 = cpu.processNanos();
        long consumer0 = cpu.currentThreadNanos();
        long t0 = System.nanoTime();
        try (ReplicationSession session =
                ReplicationSession.logical(
                        config,
                        spec,
                        ReconnectPolicy.NONE,
                        SessionSettings.DEFAULT,
                        new LsnFeedback())) {
            while (!counter.done()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(
                            "pg-walstream did not reach "
                                    + end
                                    + " in "
                                    + TIMEOUT_MINUTES
                                    + " min");
                }
                session.poll(counter, POLL_BATCH, Duration.ofMillis(200));
            }
            long t1 = System.nanoTime();
            long process1 = cpu.processNanos();
            long consumer1 = cpu.currentThreadNanos();
            long io = ioThreadNanos(cpu, slot);
            return new RunResult(
                    Contender.PG_WALSTREAM,
                    run,
                    warmup,
                    t1 - t0,
                    process1 - process0,
                    io < 0 ? -1 : io + consumer1 - consumer0,
                    counter.messages(),
                    counter.payloadBytes(),
                    counter.rowChanges(),
                    -1,
                    -1,
                    rss ? PeakRss.selfKb() : -1);
        }
    }

    /** CPU of the session's I/O thread so far (it started with the session), or -1. */
    private static long ioThreadNanos(CpuClock cpu, String slot) {
        String name = "pg-walstream-io slot '" + slot + "'";
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return cpu.threadNanos(t);
            }
        }
        return -1;
    }
}
