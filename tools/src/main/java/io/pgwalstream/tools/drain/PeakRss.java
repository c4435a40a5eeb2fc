package io.pgwalstream.tools.drain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Peak resident set size (Linux {@code VmHWM}) of this JVM or of a child process, in kB. The kernel
 * keeps the high-water mark per process; writing {@code 5} to {@code /proc/self/clear_refs} (Linux
 * 4.0+) resets it to the current RSS, so the peak of one in-JVM run can be read after it.
 */
public final class PeakRss {

    private static final Path SELF = Path.of("/proc/self");

    private PeakRss() {}

    /**
     * Collects garbage (a full GC lets G1 give unused heap back to the OS, so what earlier runs
     * left resident does not count), then resets this process's high-water mark to its current RSS;
     * false if the kernel refused.
     */
    public static boolean resetSelf() {
        System.gc();
        try {
            Files.writeString(SELF.resolve("clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** This process's peak RSS in kB, or -1 if /proc does not tell. */
    public static long selfKb() {
        return ofStatus(SELF.resolve("status"));
    }

    /** A live process's peak RSS so far in kB, or -1 once it is gone. */
    static long ofPidKb(long pid) {
        return ofStatus(Path.of("/proc", Long.toString(pid), "status"));
    }

    private static long ofStatus(Path status) {
        try {
            return vmHwmKb(Files.readString(status));
        } catch (IOException e) {
            return -1;
        }
    }

    /** The {@code VmHWM:} value of a /proc/PID/status text in kB, or -1 if it has none. */
    static long vmHwmKb(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.substring("VmHWM:".length()).replace("kB", "").trim());
            }
        }
        return -1;
    }

    /**
     * Polls a child's high-water mark until it exits (every 20 ms): the kernel's value is gone once
     * the child is reaped, so the last reading stands for it. The peak is reached while draining,
     * long before the exit, for the processes measured here.
     */
    static final class ChildWatch implements AutoCloseable {
        private final Thread thread;
        private volatile long peakKb = -1;
        private volatile boolean stop;

        ChildWatch(Process process) {
            long pid = process.pid();
            thread =
                    new Thread(
                            () -> {
                                try {
                                    do {
                                        long kb = ofPidKb(pid);
                                        if (kb > peakKb) {
                                            peakKb = kb;
                                        }
                                    } while (!stop && !process.waitFor(20, TimeUnit.MILLISECONDS));
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "peak-rss " + pid);
            thread.setDaemon(true);
            thread.start();
        }

        long peakKb() {
            return peakKb;
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join();
        }
    }
}
