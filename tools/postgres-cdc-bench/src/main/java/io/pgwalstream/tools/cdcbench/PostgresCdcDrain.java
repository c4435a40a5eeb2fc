package io.pgwalstream.tools.cdcbench;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.cdc.connectors.base.options.StartupOptions;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;

import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The postgres-cdc contender of pg-walstream's drain benchmark: Flink CDC 3.5.0's Postgres
 * incremental source (the FLIP-27 source that {@code 'connector' = 'postgres-cdc'} also uses) on
 * Flink 1.20, streaming an existing pgoutput slot from its confirmed position
 * ({@code StartupOptions.committed()}: no snapshot) into a discarding sink, until N row changes have
 * been deserialized. Prints one result line on stdout and exits.
 *
 * <p>One local Flink cluster is started first, and the job is submitted to its REST endpoint, so
 * the wall time (submission to the N-th row) excludes cluster start-up, as the pg-walstream source
 * contender's does. The password, if any, comes from {@code PGPASSWORD}.
 *
 * <p>{@code --mode snapshot} is the contender of the snapshot benchmark instead: the same source
 * with {@code StartupOptions.snapshot()} (bounded: the incremental snapshot of the table, chunked
 * by {@code --split-size} rows, then the job finishes) at {@code --parallelism} P; the result line's
 * wall time is from job submission to the job's end (submitted to the local cluster in-process, as
 * pg-walstream's contender is), and the job must have deserialized exactly N rows. Debezium creates
 * the slot {@code S} and backfill slots {@code S_<subtask>}; the caller drops them afterwards.
 *
 * <pre>
 * java -jar postgres-cdc-bench.jar --host H --port P --database D --user U --slot S
 *      --publication PUB --table public.bench --rows N [--timeout-seconds 1800]
 *      [--mode stream|snapshot] [--parallelism 1] [--split-size 8096]
 * </pre>
 *
 * <p>Exit status: 0 with the result line printed, 1 when N rows did not arrive in time or the job
 * failed, 2 on bad arguments.
 */
public final class PostgresCdcDrain {

    /** The prefix of the result line, which {@code PostgresCdc} in the tools jar parses. */
    static final String RESULT_PREFIX = "POSTGRES_CDC_RESULT";

    private PostgresCdcDrain() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            // The local cluster's threads would keep the JVM alive after main has thrown.
            e.printStackTrace();
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        long rows = Long.parseLong(options.get("rows"));
        long timeoutSeconds = Long.parseLong(options.getOrDefault("timeout-seconds", "1800"));
        boolean snapshot = options.getOrDefault("mode", "stream").equals("snapshot");
        int parallelism = Integer.parseInt(options.getOrDefault("parallelism", "1"));
        CountingDeserializer.expect(rows);

        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, 0);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(parallelism)
                                .build());
        cluster.start();
        URI rest = cluster.getRestAddress().get();

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createRemoteEnvironment(rest.getHost(), rest.getPort());
        env.setParallelism(parallelism);
        // As pg-walstream's source contender: chained records are not copied.
        env.getConfig().enableObjectReuse();
        env.fromSource(source(options), WatermarkStrategy.noWatermarks(), "postgres-cdc")
                .sinkTo(new DiscardingSink<>());

        if (snapshot) {
            snapshot(cluster, env, options, rows, timeoutSeconds);
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        JobClient job = env.executeAsync("postgres-cdc drain " + options.get("slot"));
        boolean done = CountingDeserializer.awaitAll(timeoutSeconds, TimeUnit.SECONDS);
        long cpu1 = os.getProcessCpuTime();
        if (!done) {
            System.err.printf(
                    Locale.ROOT,
                    "postgres-cdc saw %d of %d row changes in %d s (job status %s)%n",
                    CountingDeserializer.rows(),
                    rows,
                    timeoutSeconds,
                    job.getJobStatus().get());
            System.exit(1);
        }
        long last = CountingDeserializer.lastNanos();
        System.out.printf(
                Locale.ROOT,
                "%s rows=%d wall_ns=%d stream_ns=%d cpu_ns=%d peak_rss_kb=%d%n",
                RESULT_PREFIX,
                CountingDeserializer.rows(),
                last - t0,
                last - CountingDeserializer.firstNanos(),
                cpu1 - cpu0,
                peakRssKb());
        halt();
    }

    /**
     * The bounded snapshot job: submitted to the cluster in this JVM and awaited through its own
     * future (a REST client polls for the result with a growing back-off); prints the result line
     * and halts.
     */
    private static void snapshot(
            MiniCluster cluster,
            StreamExecutionEnvironment env,
            Map<String, String> options,
            long rows,
            long timeoutSeconds)
            throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
        JobID id = new JobID();
        StreamGraph streamGraph = env.getStreamGraph();
        streamGraph.setJobName("postgres-cdc snapshot " + options.get("slot"));
        JobGraph graph = streamGraph.getJobGraph(PostgresCdcDrain.class.getClassLoader(), id);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        cluster.submitJob(graph).get();
        JobResult result = cluster.requestJobResult(id).get(timeoutSeconds, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        result.toJobExecutionResult(PostgresCdcDrain.class.getClassLoader()); // throws if failed
        if (CountingDeserializer.rows() != rows) {
            throw new IllegalStateException(
                    String.format(
                            Locale.ROOT,
                            "postgres-cdc's snapshot emitted %d rows, not %d",
                            CountingDeserializer.rows(),
                            rows));
        }
        System.out.printf(
                Locale.ROOT,
                "%s rows=%d wall_ns=%d stream_ns=%d first_row_ns=%d cpu_ns=%d peak_rss_kb=%d%n",
                RESULT_PREFIX,
                CountingDeserializer.rows(),
                t1 - t0,
                CountingDeserializer.lastNanos() - CountingDeserializer.firstNanos(),
                CountingDeserializer.firstNanos() - t0,
                cpu1 - cpu0,
                peakRssKb());
        halt();
    }

    private static void halt() {
        System.out.flush();
        // A flight recording started with -XX:StartFlightRecording=filename=… (to profile this
        // contender) writes its file when stopped; halt() below would skip that.
        if (FlightRecorder.isInitialized()) {
            for (Recording recording : FlightRecorder.getFlightRecorder().getRecordings()) {
                recording.stop();
            }
        }
        // No graceful shutdown: nothing is committed anyway (no checkpoints), and the benchmark
        // drops the slot once this process has gone.
        Runtime.getRuntime().halt(0);
    }

    /**
     * What a user who streams an existing slot without a snapshot writes: pgoutput, the given
     * publication (never created or altered: {@code publication.autocreate.mode = disabled}), the
     * slot's committed position as the start.
     */
    private static PostgresSourceBuilder.PostgresIncrementalSource<Long> source(
            Map<String, String> options) {
        String table = options.get("table");
        boolean snapshot = options.getOrDefault("mode", "stream").equals("snapshot");
        Properties debezium = new Properties();
        debezium.setProperty("publication.name", options.get("publication"));
        debezium.setProperty("publication.autocreate.mode", "disabled");
        return PostgresSourceBuilder.PostgresIncrementalSource.<Long>builder()
                .hostname(options.get("host"))
                .port(Integer.parseInt(options.get("port")))
                .database(options.get("database"))
                .schemaList(table.substring(0, table.indexOf('.')))
                .tableList(table)
                .username(options.get("user"))
                // Debezium requires a password; with trust authentication any value passes.
                .password(System.getenv().getOrDefault("PGPASSWORD", ""))
                .slotName(options.get("slot"))
                .decodingPluginName("pgoutput")
                .debeziumProperties(debezium)
                .startupOptions(
                        snapshot ? StartupOptions.snapshot() : StartupOptions.committed())
                .splitSize(Integer.parseInt(options.getOrDefault("split-size", "8096")))
                .deserializer(new CountingDeserializer())
                .build();
    }

    /** VmHWM of this process, the peak resident set size, in kB; -1 if /proc cannot tell. */
    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }

    private static final String[] REQUIRED = {
        "host", "port", "database", "user", "slot", "publication", "table", "rows"
    };

    static Map<String, String> parse(String... args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        "Expected --name value pairs, got '" + args[i] + "'\n" + usage());
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        for (String name : REQUIRED) {
            if (!options.containsKey(name)) {
                throw new IllegalArgumentException("Missing --" + name + "\n" + usage());
            }
        }
        if (!List.of("stream", "snapshot").contains(options.getOrDefault("mode", "stream"))) {
            throw new IllegalArgumentException("--mode must be stream or snapshot");
        }
        if (!options.get("table").contains(".")) {
            throw new IllegalArgumentException("--table must be schema.table");
        }
        return options;
    }

    private static String usage() {
        return "Usage: java -jar postgres-cdc-bench.jar --host H --port P --database D --user U"
                + " --slot S --publication PUB --table schema.table --rows N"
                + " [--timeout-seconds 1800] [--mode stream|snapshot] [--parallelism 1]"
                + " [--split-size 8096]   (password from PGPASSWORD)";
    }
}
