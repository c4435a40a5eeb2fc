package io.pgwalstream.e2e.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every JVM the e2e harness starts: runs the real main class given as the first
 * argument, and halts the JVM as soon as its standard input reaches end-of-file.
 *
 * <p>The harness keeps the write end of each child's stdin pipe open and never writes to it. The
 * kernel closes that pipe when the harness JVM dies for any reason, including {@code kill -9} and
 * surefire timeouts where no shutdown hook runs, so a JobManager, TaskManager or SQL Gateway can
 * never outlive the test JVM that started it. JDK only: it runs on the Flink classpath.
 */
public final class ParentWatchingLauncher {

    /** The exit status of a JVM whose parent went away (128 + SIGHUP, as a shell would report). */
    public static final int PARENT_GONE_STATUS = 129;

    private ParentWatchingLauncher() {}

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            throw new IllegalArgumentException(
                    "usage: ParentWatchingLauncher <main class> [arguments...]");
        }
        Thread watcher =
                new Thread(() -> haltAtEndOfInput(System.in), "pgwalstream-e2e-parent-watcher");
        watcher.setDaemon(true);
        watcher.start();

        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void haltAtEndOfInput(InputStream in) {
        try {
            while (in.read() >= 0) {
                // The harness never writes; anything read is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end-of-file: the parent is gone.
        }
        System.err.println("pgwalstream-e2e: the harness JVM is gone, halting");
        Runtime.getRuntime().halt(PARENT_GONE_STATUS);
    }
}
