package io.pgwalstream.e2e.cluster;

/**
 * Starts a cluster (JobManager and one TaskManager) of the version given as the only argument,
 * prints {@code FLINK_JVM <pid>} per JVM, then waits for stdin to close. {@code
 * ClusterLifecycleE2ECase} kills this JVM with SIGKILL to prove that the Flink JVMs do not outlive
 * it.
 */
public final class ClusterInChildJvm {

    private ClusterInChildJvm() {}

    public static void main(String[] args) throws Exception {
        FlinkDistribution distribution = FlinkDistribution.of(args[0]);
        try (FlinkCluster cluster =
                FlinkCluster.start(distribution, ClusterSpec.defaults().withTaskManagers(1))) {
            for (ManagedProcess process : cluster.processes()) {
                System.out.println("FLINK_JVM " + process.pid());
            }
            System.out.flush();
            while (System.in.read() >= 0) {
                // Wait until the parent closes our stdin or kills us.
            }
        }
    }
}
