package io.pgwalstream.e2e;

import io.pgwalstream.e2e.cluster.E2EPaths;
import io.pgwalstream.e2e.cluster.LauncherInChildJvm;
import io.pgwalstream.e2e.cluster.ManagedProcesses;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher that every cluster JVM starts through halts its JVM when the JVM that started it is
 * killed with SIGKILL (no shutdown hook runs there). Without Flink, so it is quick; {@code
 * ClusterLifecycleE2ECase} shows the same with a real cluster in the slow profile.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class ParentWatchingLauncherE2ECase {

    @Test
    void aKilledParentTakesTheLaunchedJvmWithIt() throws Exception {
        Process child =
                new ProcessBuilder(
                                List.of(
                                        ProcessHandle.current().info().command().orElse("java"),
                                        "-Xmx64m",
                                        "-D"
                                                + E2EPaths.WORK_DIR_PROPERTY
                                                + "="
                                                + E2EPaths.workDirectory(),
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        LauncherInChildJvm.class.getName(),
                                        E2EPaths.launcherJar().toString()))
                        .redirectErrorStream(true)
                        .start();
        long grandchild = -1;
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("GRANDCHILD ")) {
                    grandchild = Long.parseLong(line.substring("GRANDCHILD ".length()));
                    break;
                }
            }
        }
        assertThat(grandchild).as("the child started a JVM through the launcher").isPositive();
        assertThat(ManagedProcesses.isAlive(grandchild)).isTrue();

        child.destroyForcibly(); // SIGKILL: no shutdown hook runs in the child
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(ManagedProcesses.awaitExit(grandchild, Duration.ofSeconds(30)))
                .as("the launched JVM %s is gone", grandchild)
                .isTrue();
    }
}
