package io.pgwalstream.e2e;

import io.pgwalstream.e2e.cluster.ClusterInChildJvm;
import io.pgwalstream.e2e.cluster.E2EPaths;
import io.pgwalstream.e2e.cluster.EveryFlinkVersion;
import io.pgwalstream.e2e.cluster.FlinkCluster;
import io.pgwalstream.e2e.cluster.FlinkDistribution;
import io.pgwalstream.e2e.cluster.ManagedProcess;
import io.pgwalstream.e2e.cluster.ManagedProcesses;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Flink JVM outlives the harness: {@code close()} stops every JVM of a cluster, and when the
 * test JVM is killed without running its shutdown hooks, the launcher in each Flink JVM halts it.
 * Runs last in a test JVM, because it closes the shared cluster.
 */
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterLifecycleE2ECase {

    private static final long EXIT_TIMEOUT_SECONDS = 30;

    /** The same guarantee as {@code ParentWatchingLauncherTest}, with a real cluster: slow. */
    @EveryFlinkVersion
    @Order(1)
    @Tag("slow")
    void aKilledTestJvmLeavesNoFlinkJvmBehind(FlinkDistribution flink) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        for (String property :
                List.of(
                        FlinkDistribution.DIST_DIR_PROPERTY,
                        E2EPaths.WORK_DIR_PROPERTY,
                        E2EPaths.LAUNCHER_JAR_PROPERTY)) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add(ClusterInChildJvm.class.getName());
        command.add(flink.version());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();

        List<Long> flinkJvms = new ArrayList<>();
        List<String> output = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
                if (line.startsWith("FLINK_JVM ")) {
                    flinkJvms.add(Long.parseLong(line.substring("FLINK_JVM ".length())));
                } else if (!flinkJvms.isEmpty()) {
                    break;
                }
                if (flinkJvms.size() == 2) {
                    break;
                }
            }
            assertThat(flinkJvms).as("JVMs of the child's cluster; output: %s", output).hasSize(2);
            for (long pid : flinkJvms) {
                assertThat(ManagedProcesses.isAlive(pid)).as("Flink JVM %s runs", pid).isTrue();
            }

            child.destroyForcibly(); // SIGKILL: no shutdown hook runs in the child
            assertThat(child.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }

        for (long pid : flinkJvms) {
            awaitExit(pid);
        }
    }

    @EveryFlinkVersion
    @Order(2)
    void closeStopsEveryJvmOfTheCluster(FlinkCluster cluster) throws Exception {
        cluster.sqlGateway(); // so that the gateway's JVM is among those to stop
        List<ManagedProcess> jvms = cluster.processes();
        assertThat(jvms).hasSizeGreaterThanOrEqualTo(4); // JobManager, 2 TaskManagers, gateway

        cluster.close();

        for (ManagedProcess jvm : jvms) {
            assertThat(ManagedProcesses.isAlive(jvm.pid())).as("%s after close", jvm).isFalse();
        }
        assertThat(ManagedProcesses.live()).isEmpty();
    }

    private static void awaitExit(long pid) {
        assertThat(ManagedProcesses.awaitExit(pid, Duration.ofSeconds(EXIT_TIMEOUT_SECONDS)))
                .as("Flink JVM %s is gone", pid)
                .isTrue();
    }
}
