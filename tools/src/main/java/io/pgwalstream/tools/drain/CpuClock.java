package io.pgwalstream.tools.drain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of this JVM, its threads and its reaped child processes (Linux). */
public final class CpuClock {

    private static final Path SELF_STAT = Path.of("/proc/self/stat");

    /** Fields counted after the command name's closing parenthesis; 3 is the first (state). */
    private static final int UTIME = 14;

    private static final int CUTIME = 16;

    private final long nanosPerTick;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    CpuClock(long ticksPerSecond) {
        this.nanosPerTick = 1_000_000_000L / ticksPerSecond;
        if (!threads.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("This JVM cannot measure thread CPU time");
        }
        threads.setThreadCpuTimeEnabled(true);
    }

    /** {@code getconf CLK_TCK}, the unit of /proc's times; 100 if it cannot be asked. */
    public static CpuClock forThisMachine() {
        long ticks = 100;
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() == 0) {
                ticks = Long.parseLong(out.trim());
            }
        } catch (IOException | NumberFormatException e) {
            // keep the Linux default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new CpuClock(ticks);
    }

    /** The machine's 1, 5 and 15 minute load averages as /proc/loadavg prints them, or "?". */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** CPU time (user + system) of this process, all threads, in nanoseconds. */
    public long processNanos() {
        return os.getProcessCpuTime();
    }

    /** CPU time of the calling thread in nanoseconds. */
    long currentThreadNanos() {
        return threads.getCurrentThreadCpuTime();
    }

    /** CPU time of a live thread in nanoseconds, or -1 if it is gone. */
    long threadNanos(Thread thread) {
        return threads.getThreadCpuTime(thread.getId());
    }

    /**
     * User + system CPU of all child processes this JVM has waited for (cutime + cstime), in
     * nanoseconds, with the kernel's tick resolution. Java waits for a child when it exits, so the
     * difference around one child's run is that child's CPU.
     */
    public long reapedChildrenNanos() {
        try {
            return childrenTicks(Files.readString(SELF_STAT)) * nanosPerTick;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + SELF_STAT, e);
        }
    }

    /** Own user + system ticks from a /proc/PID/stat line. */
    static long ownTicks(String statLine) {
        String[] f = fieldsAfterName(statLine);
        return Long.parseLong(f[UTIME - 3]) + Long.parseLong(f[UTIME - 2]);
    }

    /** Waited-for children's user + system ticks from a /proc/PID/stat line. */
    static long childrenTicks(String statLine) {
        String[] f = fieldsAfterName(statLine);
        return Long.parseLong(f[CUTIME - 3]) + Long.parseLong(f[CUTIME - 2]);
    }

    /** The command name is in parentheses and may contain spaces and parentheses. */
    private static String[] fieldsAfterName(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("Not a /proc stat line: " + statLine);
        }
        return statLine.substring(close + 1).trim().split("\\s+");
    }
}
