package io.pgwalstream.e2e.cluster;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Starts {@link BlockingMain} through the launcher jar (the only argument) in a grandchild JVM, as
 * the harness starts Flink JVMs, prints {@code GRANDCHILD <pid>}, then waits for stdin to close.
 * {@code ParentWatchingLauncherTest} kills this JVM with SIGKILL.
 */
public final class LauncherInChildJvm {

    private LauncherInChildJvm() {}

    public static void main(String[] args) throws Exception {
        Files.createDirectories(E2EPaths.workDirectory());
        Path output =
                Files.createTempFile(E2EPaths.workDirectory(), "launcher-grandchild-", ".out");
        String classpath = System.getProperty("java.class.path");
        ManagedProcess grandchild =
                ManagedProcess.start(
                        "grandchild",
                        List.of(
                                JvmCommand.javaExecutable(),
                                "-Xmx32m",
                                "-cp",
                                args[0] + File.pathSeparator + classpath,
                                "io.pgwalstream.e2e.launcher.ParentWatchingLauncher",
                                BlockingMain.class.getName()),
                        Map.of(),
                        output);
        Waiting.until(
                "the grandchild to run",
                Duration.ofSeconds(30),
                () -> grandchild.outputText().contains("BLOCKING"));
        System.out.println("GRANDCHILD " + grandchild.pid());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Wait until the parent closes our stdin or kills us.
        }
    }
}
