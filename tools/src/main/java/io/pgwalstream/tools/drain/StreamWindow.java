package io.pgwalstream.tools.drain;

import java.lang.management.ManagementFactory;

/**
 * The streaming part of a Flink contender's run, from its first row to its last: how long it took
 * and the process CPU spent meanwhile, so that a bounded job's deployment and shutdown (a second or
 * so of CPU, much of a 100k-row run) can be told apart from the cost per row. The job runs in this
 * JVM and its sink (or deserializer) runs at parallelism 1, so one task thread calls {@link
 * #row()}; static state, reset before each run.
 */
public final class StreamWindow {

    /** Process CPU is read at the first row and every this many rows after it. */
    private static final long CPU_SAMPLE_EVERY = 1024;

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static volatile long rows;
    private static volatile long firstNanos;
    private static volatile long lastNanos;
    private static volatile long firstCpuNanos;
    private static volatile long sampledCpuNanos;
    private static volatile long sampledRows;

    private StreamWindow() {}

    static void reset() {
        rows = 0;
        firstNanos = 0;
        lastNanos = 0;
        firstCpuNanos = 0;
        sampledCpuNanos = 0;
        sampledRows = 0;
    }

    /** Task thread: one row emitted. */
    static void row() {
        long n = ++rows;
        long now = System.nanoTime();
        if (n == 1) {
            firstNanos = now;
            firstCpuNanos = OS.getProcessCpuTime();
        } else if ((n - 1) % CPU_SAMPLE_EVERY == 0) {
            sampledCpuNanos = OS.getProcessCpuTime();
            sampledRows = n;
        }
        lastNanos = now;
    }

    /** From the first row to the last, or -1 if there was none. */
    public static long nanos() {
        return firstNanos == 0 ? -1 : lastNanos - firstNanos;
    }

    /**
     * The process CPU from the first row to the last, extrapolated from the last sample; -1 if
     * fewer than {@link #CPU_SAMPLE_EVERY} rows came.
     */
    public static long cpuNanos() {
        long sampled = sampledRows;
        if (sampled < 2) {
            return -1;
        }
        return (long) ((sampledCpuNanos - firstCpuNanos) * ((rows - 1) / (double) (sampled - 1)));
    }
}
