package io.pgwalstream.e2e.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * A Flink session cluster of separate JVMs on 127.0.0.1, started from a {@link FlinkDistribution}:
 * one JobManager ({@code StandaloneSessionClusterEntrypoint}), TaskManagers ({@code
 * TaskManagerRunner}, named {@code tm-1}, {@code tm-2}, ... as their resource ids, which REST
 * reports), and on demand a SQL Gateway. It replaces {@code bin/start-cluster.sh}: memory flags
 * come from Flink's own {@code BashJavaUtils}, the Java 17 flags from {@link JvmCommand}.
 *
 * <p>{@link #close()} stops every JVM and checks that each has exited; a shutdown hook ({@link
 * ManagedProcesses}) and the launcher's parent watch cover the cases where close is never reached.
 * Not thread-safe: one test drives a cluster at a time.
 */
public final class FlinkCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkCluster.class);

    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final String JOB_MANAGER_MAIN =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER_MAIN =
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String BASH_JAVA_UTILS =
            "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    private final FlinkDistribution distribution;
    private final ClusterSpec spec;
    private final ClusterLayout layout;
    private final int restPort;
    private final FlinkRestClient rest;
    private final Map<String, ManagedProcess> taskManagers = new LinkedHashMap<>();
    private final List<ManagedProcess> exited = new ArrayList<>();
    private ManagedProcess jobManager;
    private MemoryParameters taskManagerMemory;
    private SqlGateway sqlGateway;
    private int taskManagersStarted;
    private int clientsStarted;
    private boolean closed;

    private FlinkCluster(FlinkDistribution distribution, ClusterSpec spec, ClusterLayout layout) {
        this.distribution = distribution;
        this.spec = spec;
        this.layout = layout;
        this.restPort = FreePorts.next();
        this.rest = new FlinkRestClient(URI.create("http://127.0.0.1:" + restPort));
    }

    /**
     * Starts a cluster in a new directory under the e2e work directory. A port that another process
     * took between {@link FreePorts} and the JobManager binding it costs a retry with new ports.
     */
    public static FlinkCluster start(FlinkDistribution distribution, ClusterSpec spec)
            throws TimeoutException {
        Path parent = E2EPaths.workDirectory();
        for (int attempt = 1; ; attempt++) {
            Path directory;
            try {
                Files.createDirectories(parent);
                directory =
                        Files.createTempDirectory(parent, "flink-" + distribution.version() + "-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                return start(distribution, spec, directory);
            } catch (RuntimeException e) {
                if (attempt == 3 || !lostAPortRace(new ClusterLayout(directory))) {
                    throw e;
                }
                LOG.warn("A port of the cluster in {} was taken; starting anew", directory);
            }
        }
    }

    private static boolean lostAPortRace(ClusterLayout layout) {
        for (Path log : List.of(layout.logFile("jobmanager"), layout.outFile("jobmanager"))) {
            try {
                String text = Files.exists(log) ? Files.readString(log) : "";
                if (text.contains("java.net.BindException")
                        || text.contains("Address already in use")) {
                    return true;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Starts the JobManager and {@code spec.taskManagers()} TaskManagers and returns once all
     * TaskManagers have registered with all their slots.
     */
    public static FlinkCluster start(
            FlinkDistribution distribution, ClusterSpec spec, Path directory)
            throws TimeoutException {
        FlinkCluster cluster =
                new FlinkCluster(distribution, spec, ClusterLayout.create(directory));
        try {
            cluster.startProcesses();
            return cluster;
        } catch (RuntimeException | TimeoutException | Error e) {
            try {
                cluster.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void startProcesses() throws TimeoutException {
        long started = System.nanoTime();
        Map<String, String> configuration =
                FlinkConfiguration.entries(spec, layout, restPort, FreePorts.next());
        FlinkConfiguration.write(configuration, layout);

        // Both memory computations in parallel: each is a JVM start.
        ManagedProcess jmUtils = startBashJavaUtils("GET_JM_RESOURCE_PARAMS", "jm");
        ManagedProcess tmUtils = startBashJavaUtils("GET_TM_RESOURCE_PARAMS", "tm");
        MemoryParameters jobManagerMemory = memoryParameters(jmUtils);
        taskManagerMemory = memoryParameters(tmUtils);

        jobManager =
                startJvm(
                        "jobmanager",
                        jobManagerMemory.jvmOptions(),
                        distribution.libJars(),
                        JOB_MANAGER_MAIN,
                        withConfigDir(jobManagerMemory.dynamicProperties()));
        Waiting.until(
                "the JobManager's REST API at " + rest.address(),
                STARTUP_TIMEOUT,
                () -> {
                    checkAlive(jobManager);
                    try {
                        return rest.overview() != null;
                    } catch (RestException e) {
                        return false;
                    }
                });
        String running = rest.overview().flinkVersion();
        if (!running.equals(distribution.version())) {
            throw new IllegalStateException(
                    "The JobManager runs Flink " + running + ", not " + distribution.version());
        }
        for (int i = 0; i < spec.taskManagers(); i++) {
            startTaskManager();
        }
        awaitTaskManagers(spec.taskManagers(), STARTUP_TIMEOUT);
        LOG.info(
                "{} cluster up in {} ms: REST {}, {} TaskManagers, directory {}",
                distribution.displayName(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(),
                rest.address(),
                spec.taskManagers(),
                layout.root());
    }

    // ---- accessors --------------------------------------------------------------------------

    public FlinkDistribution distribution() {
        return distribution;
    }

    public ClusterSpec spec() {
        return spec;
    }

    public FlinkRestClient rest() {
        return rest;
    }

    /** The cluster's directory: configuration, logs, checkpoints, savepoints. */
    public Path directory() {
        return layout.root();
    }

    public Path configurationDirectory() {
        return layout.conf();
    }

    public Path logDirectory() {
        return layout.logs();
    }

    public Path savepointDirectory() {
        return layout.savepoints();
    }

    /** The JobManager's JVM. */
    public ManagedProcess jobManager() {
        return jobManager;
    }

    /** The running TaskManagers by resource id, in start order. */
    public Map<String, ManagedProcess> taskManagers() {
        Map<String, ManagedProcess> running = new LinkedHashMap<>(taskManagers);
        running.values().removeIf(tm -> !tm.isAlive());
        return running;
    }

    /** Every JVM this cluster started that may still run, the SQL Gateway included. */
    public List<ManagedProcess> processes() {
        List<ManagedProcess> all = new ArrayList<>();
        if (jobManager != null) {
            all.add(jobManager);
        }
        all.addAll(taskManagers.values());
        if (sqlGateway != null) {
            all.add(sqlGateway.process());
        }
        all.addAll(exited);
        return all;
    }

    // ---- TaskManagers -----------------------------------------------------------------------

    /** Starts one more TaskManager and returns its resource id without waiting for it. */
    public String startTaskManager() {
        checkOpen();
        String id = "tm-" + ++taskManagersStarted;
        List<String> arguments =
                new ArrayList<>(withConfigDir(taskManagerMemory.dynamicProperties()));
        arguments.add("-Dtaskmanager.resource-id=" + id);
        taskManagers.put(
                id,
                startJvm(
                        "taskmanager-" + id,
                        taskManagerMemory.jvmOptions(),
                        distribution.libJars(),
                        TASK_MANAGER_MAIN,
                        arguments));
        LOG.info("Started TaskManager {}", id);
        return id;
    }

    /** {@code kill -9} of a TaskManager; returns once the JVM is gone. */
    public void killTaskManager(String id) {
        ManagedProcess tm = taskManagers.remove(id);
        if (tm == null) {
            throw new IllegalArgumentException(
                    "No running TaskManager " + id + " in " + taskManagers.keySet());
        }
        tm.kill();
        exited.add(tm);
        LOG.info("Killed TaskManager {} (pid {})", id, tm.pid());
    }

    /**
     * Waits until exactly the running TaskManagers are registered, {@code count} of them, with all
     * their slots (TaskManagers that were killed are no longer listed).
     */
    public void awaitTaskManagers(int count, Duration timeout) throws TimeoutException {
        Object[] last = {"nothing"};
        Waiting.until(
                count + " registered TaskManagers",
                timeout,
                () -> {
                    checkAlive(jobManager);
                    for (ManagedProcess tm : taskManagers.values()) {
                        checkAlive(tm);
                    }
                    Set<String> registered = rest.taskManagerIds();
                    FlinkRestClient.ClusterOverview overview = rest.overview();
                    last[0] = registered + ", " + overview;
                    return registered.equals(taskManagers.keySet())
                            && registered.size() == count
                            && overview.slotsTotal() == count * spec.slotsPerTaskManager();
                },
                () -> last[0] + "; started: " + taskManagers.keySet());
    }

    // ---- clients ----------------------------------------------------------------------------

    /** The command-line client ({@code bin/flink}) against this cluster. */
    public FlinkCli cli() {
        checkOpen();
        return new FlinkCli(this);
    }

    /** The SQL Gateway of this cluster, started on first use. */
    public SqlGatewayClient sqlGateway() throws TimeoutException {
        checkOpen();
        if (sqlGateway == null || !sqlGateway.process().isAlive()) {
            sqlGateway = SqlGateway.start(this);
        }
        return sqlGateway.client();
    }

    /** Cancels every job that has not reached a terminal state and waits until they have. */
    public void cancelAllJobs(Duration timeout) throws TimeoutException {
        Map<String, String> jobs = rest.jobs();
        for (Map.Entry<String, String> job : jobs.entrySet()) {
            if (!FlinkRestClient.TERMINAL_STATES.contains(job.getValue())) {
                LOG.info("Cancelling job {} ({})", job.getKey(), job.getValue());
                rest.cancel(job.getKey());
            }
        }
        Waiting.until(
                "all jobs to end",
                timeout,
                () ->
                        rest.jobs().values().stream()
                                .allMatch(FlinkRestClient.TERMINAL_STATES::contains));
    }

    /** Whether the JobManager still runs (the cluster may have lost TaskManagers). */
    public boolean isUsable() {
        return !closed && jobManager != null && jobManager.isAlive();
    }

    // ---- JVMs -------------------------------------------------------------------------------

    ManagedProcess startJvm(
            String name,
            List<String> jvmOptions,
            List<Path> classpath,
            String mainClass,
            List<String> arguments) {
        return startJvm(name, jvmOptions, classpath, mainClass, arguments, Map.of());
    }

    ManagedProcess startJvm(
            String name,
            List<String> jvmOptions,
            List<Path> classpath,
            String mainClass,
            List<String> arguments,
            Map<String, String> environment) {
        List<String> command =
                JvmCommand.of(
                        jvmOptions,
                        layout.conf(),
                        layout.logFile(name),
                        classpath,
                        mainClass,
                        arguments);
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("FLINK_CONF_DIR", layout.conf().toString());
        return ManagedProcess.start(name, command, env, layout.outFile(name));
    }

    /** A unique name for a short-lived client JVM, e.g. {@code cli-3}: names its log files. */
    String nextProcessName(String prefix) {
        return prefix + "-" + ++clientsStarted;
    }

    private List<String> withConfigDir(List<String> arguments) {
        List<String> all = new ArrayList<>();
        all.add("--configDir");
        all.add(layout.conf().toString());
        all.addAll(arguments);
        return all;
    }

    private ManagedProcess startBashJavaUtils(String command, String suffix) {
        return startJvm(
                "bash-java-utils-" + suffix,
                List.of("-Xmx128m"),
                distribution.libJars(),
                BASH_JAVA_UTILS,
                List.of(command, "--configDir", layout.conf().toString()));
    }

    /** Reads what {@code bin/config.sh} reads from BashJavaUtils: JVM flags, then -D options. */
    private static MemoryParameters memoryParameters(ManagedProcess utils) throws TimeoutException {
        int status = utils.waitFor(STARTUP_TIMEOUT);
        List<String> results =
                utils.outputText()
                        .lines()
                        .filter(line -> line.startsWith(RESULT_PREFIX))
                        .map(line -> line.substring(RESULT_PREFIX.length()).trim())
                        .toList();
        if (status != 0 || results.size() < 2) {
            throw new IllegalStateException(
                    "BashJavaUtils failed (exit " + status + "):\n" + utils.outputText());
        }
        // -Xms equal to -Xmx would commit the whole heap up front; on a shared machine the heap
        // grows as needed instead.
        List<String> jvmOptions =
                Arrays.stream(results.get(0).split("\\s+"))
                        .filter(option -> !option.startsWith("-Xms"))
                        .toList();
        // "-D key=value -D key=value ..." -> "-Dkey=value", as the entry points accept both.
        List<String> dynamic = new ArrayList<>();
        for (String token : results.get(1).split("\\s+")) {
            if (!token.equals("-D") && !token.isEmpty()) {
                dynamic.add("-D" + token);
            }
        }
        return new MemoryParameters(jvmOptions, dynamic);
    }

    private void checkAlive(ManagedProcess process) {
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    process
                            + " exited; see "
                            + process.output()
                            + " and "
                            + layout.logs()
                            + ":\n"
                            + tail(process.outputText(), 30));
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The cluster in " + layout.root() + " is closed");
        }
    }

    static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * Stops the SQL Gateway, the TaskManagers and the JobManager (SIGTERM, then SIGKILL after a
     * grace period) and checks that every JVM of the cluster has exited.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ManagedProcess> all = processes();
        all.forEach(ManagedProcess::terminate);
        List<String> survivors = new ArrayList<>();
        for (ManagedProcess process : all) {
            process.stop(STOP_GRACE);
            if (process.isAlive()) {
                survivors.add(process.toString());
            }
        }
        if (!survivors.isEmpty()) {
            throw new IllegalStateException("Still running after close: " + survivors);
        }
        LOG.info("{} cluster stopped; logs in {}", distribution.displayName(), layout.logs());
    }

    @Override
    public String toString() {
        return distribution.displayName()
                + " cluster at "
                + rest.address()
                + " in "
                + layout.root();
    }

    private record MemoryParameters(List<String> jvmOptions, List<String> dynamicProperties) {}
}
