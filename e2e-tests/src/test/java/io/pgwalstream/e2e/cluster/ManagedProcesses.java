package io.pgwalstream.e2e.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every {@link ManagedProcess} that may still run. A JVM shutdown hook stops them when the test JVM
 * exits, also after failures and when a test never reached {@code close()}; if the test JVM dies
 * without running hooks, {@code ParentWatchingLauncher} halts them instead.
 */
public final class ManagedProcesses {

    private static final Duration HOOK_GRACE = Duration.ofSeconds(5);
    private static final Set<ManagedProcess> LIVE = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private ManagedProcesses() {}

    static synchronized void register(ManagedProcess process) {
        if (!hookInstalled) {
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(ManagedProcesses::stopAll, "pgwalstream-e2e-stop-jvms"));
            hookInstalled = true;
        }
        LIVE.add(process);
    }

    static synchronized void unregister(ManagedProcess process) {
        LIVE.remove(process);
    }

    /** The processes started and not yet seen to exit. */
    public static synchronized List<ManagedProcess> live() {
        LIVE.removeIf(p -> !p.isAlive());
        return List.copyOf(LIVE);
    }

    /** Whether a process (of any origin) with this pid runs. */
    public static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Waits until the process with this pid has exited; true if it did within the timeout. */
    public static boolean awaitExit(long pid, Duration timeout) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            try {
                process.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | TimeoutException e) {
                return false;
            }
        }
        return !isAlive(pid);
    }

    private static void stopAll() {
        List<ManagedProcess> processes;
        synchronized (ManagedProcesses.class) {
            processes = new ArrayList<>(LIVE);
        }
        // SIGTERM to all first, so that they shut down in parallel; SIGKILL what is left.
        List<ProcessHandle> handles = new ArrayList<>();
        for (ManagedProcess process : processes) {
            ProcessHandle.of(process.pid())
                    .ifPresent(
                            handle -> {
                                handle.destroy();
                                handles.add(handle);
                            });
        }
        long deadline = System.nanoTime() + HOOK_GRACE.toNanos();
        for (ProcessHandle handle : handles) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
    }
}
