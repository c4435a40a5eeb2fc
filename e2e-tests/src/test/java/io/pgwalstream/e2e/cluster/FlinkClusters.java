package io.pgwalstream.e2e.cluster;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The cluster shared by the tests of a JVM: starting one takes 10–20 s, so tests reuse it, and each
 * test receives it in a known state (no running jobs, {@link ClusterSpec#defaults()} TaskManagers
 * with all slots free, replacing TaskManagers that a previous test killed).
 *
 * <p>At most one cluster runs at a time: asking for another Flink version stops the current one.
 * The build runs one JVM per version, so there it starts exactly once. It is stopped (and checked
 * to be gone) when the test plan ends, through JUnit's root store.
 */
public final class FlinkClusters implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkClusters.class);
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(FlinkClusters.class);
    private static final Duration RESET_TIMEOUT = Duration.ofSeconds(60);

    private FlinkCluster current;

    private FlinkClusters() {}

    /** The instance of the test plan, created on first use. */
    public static FlinkClusters in(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        FlinkClusters.class, key -> new FlinkClusters(), FlinkClusters.class);
    }

    /** The shared cluster of {@code distribution}, started or reset for the next test. */
    public synchronized FlinkCluster prepared(FlinkDistribution distribution)
            throws TimeoutException {
        if (current != null
                && (!current.distribution().equals(distribution) || !current.isUsable())) {
            LOG.info("Replacing {}", current);
            FlinkCluster previous = current;
            current = null;
            previous.close();
        }
        if (current == null) {
            current = FlinkCluster.start(distribution, ClusterSpec.defaults());
        } else {
            reset(current);
        }
        return current;
    }

    private static void reset(FlinkCluster cluster) throws TimeoutException {
        cluster.cancelAllJobs(RESET_TIMEOUT);
        int wanted = cluster.spec().taskManagers();
        for (int i = cluster.taskManagers().size(); i < wanted; i++) {
            cluster.startTaskManager();
        }
        cluster.awaitTaskManagers(wanted, RESET_TIMEOUT);
        Waiting.until(
                "all slots of " + cluster + " to be free",
                RESET_TIMEOUT,
                () -> {
                    FlinkRestClient.ClusterOverview overview = cluster.rest().overview();
                    return overview.slotsAvailable() == overview.slotsTotal();
                });
    }

    @Override
    public synchronized void close() {
        if (current != null) {
            FlinkCluster cluster = current;
            current = null;
            cluster.close();
        }
    }
}
