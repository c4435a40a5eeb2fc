package io.pgwalstream.e2e;

import io.pgwalstream.e2e.cluster.ChildJvm;
import io.pgwalstream.e2e.cluster.ClusterInChildJvm;
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

import java.time.Duration;
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
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClusterLifecycleE2ECase {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    /** The same guarantee as {@code ParentWatchingLauncherE2ECase}, with a real cluster: slow. */
    @EveryFlinkVersion
    @Order(1)
    @Tag("slow")
    void aKilledTestJvmLeavesNoFlinkJvmBehind(FlinkDistribution flink) throws Exception {
        List<Long> flinkJvms;
        try (ChildJvm child = ChildJvm.start(ClusterInChildJvm.class, flink.version())) {
            flinkJvms = child.awaitPids("FLINK_JVM", 2); // JobManager and TaskManager
            for (long pid : flinkJvms) {
                assertThat(ManagedProcesses.isAlive(pid)).as("Flink JVM %s runs", pid).isTrue();
            }
            child.kill(); // SIGKILL: no shutdown hook runs in the child
        }
        for (long pid : flinkJvms) {
            assertThat(ManagedProcesses.awaitExit(pid, EXIT_TIMEOUT))
                    .as("Flink JVM %s is gone", pid)
                    .isTrue();
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
}
