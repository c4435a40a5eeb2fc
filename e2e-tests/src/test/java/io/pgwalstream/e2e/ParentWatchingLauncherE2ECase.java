package io.pgwalstream.e2e;

import io.pgwalstream.e2e.cluster.ChildJvm;
import io.pgwalstream.e2e.cluster.E2EPaths;
import io.pgwalstream.e2e.cluster.LauncherInChildJvm;
import io.pgwalstream.e2e.cluster.ManagedProcesses;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher that every cluster JVM starts through halts its JVM when the JVM that started it is
 * killed with SIGKILL (no shutdown hook runs there). Without Flink, so it is quick; {@code
 * ClusterLifecycleE2ECase} shows the same with a real cluster in the slow profile.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParentWatchingLauncherE2ECase {

    @Test
    void aKilledParentTakesTheLaunchedJvmWithIt() throws Exception {
        long launched;
        try (ChildJvm child =
                ChildJvm.start(LauncherInChildJvm.class, E2EPaths.launcherJar().toString())) {
            launched = child.awaitPids("GRANDCHILD", 1).get(0);
            assertThat(ManagedProcesses.isAlive(launched)).isTrue();
            child.kill(); // SIGKILL: no shutdown hook runs in the child
        }
        assertThat(ManagedProcesses.awaitExit(launched, Duration.ofSeconds(30)))
                .as("the launched JVM %s is gone", launched)
                .isTrue();
    }
}
