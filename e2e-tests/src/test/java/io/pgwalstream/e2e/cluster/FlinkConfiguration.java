package io.pgwalstream.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a cluster's {@code conf/config.yaml} and {@code conf/log4j.properties}. Flink 2.x reads
 * only {@code config.yaml}; 1.20 reads it too (with its standard YAML parser), and every key used
 * here means the same in both.
 */
final class FlinkConfiguration {

    private static final Pattern PLAIN_SCALAR = Pattern.compile("[A-Za-z0-9._/+-]+");

    private FlinkConfiguration() {}

    /** The keys and values of {@code config.yaml}, in file order. */
    static Map<String, String> entries(
            ClusterSpec spec, ClusterLayout layout, int restPort, int rpcPort) {
        Map<String, String> config = new LinkedHashMap<>();
        // Everything on the loopback interface, on free ports.
        config.put("jobmanager.rpc.address", "127.0.0.1");
        config.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        config.put("jobmanager.bind-host", "127.0.0.1");
        config.put("rest.address", "127.0.0.1");
        config.put("rest.bind-address", "127.0.0.1");
        config.put("rest.port", Integer.toString(restPort));
        config.put("taskmanager.host", "127.0.0.1");
        config.put("taskmanager.bind-host", "127.0.0.1");
        // Ports chosen by the OS: all TaskManagers share this file; the blob port reaches them
        // through their registration.
        config.put("taskmanager.rpc.port", "0");
        config.put("taskmanager.data.port", "0");
        config.put("blob.server.port", "0");

        // Small JVMs for a shared 2-core machine: the JobManager gets a 256 MiB heap, each
        // TaskManager 320 MiB (256 MiB task heap) and 32 MiB each of network and managed memory.
        config.put("jobmanager.memory.process.size", "576m");
        config.put("jobmanager.memory.jvm-metaspace.size", "160m");
        config.put("jobmanager.memory.off-heap.size", "64m");
        config.put("jobmanager.memory.jvm-overhead.min", "96m");
        config.put("jobmanager.memory.jvm-overhead.max", "96m");
        config.put("taskmanager.memory.process.size", "704m");
        config.put("taskmanager.memory.jvm-metaspace.size", "160m");
        config.put("taskmanager.memory.jvm-overhead.min", "96m");
        config.put("taskmanager.memory.jvm-overhead.max", "96m");
        config.put("taskmanager.memory.framework.heap.size", "64m");
        config.put("taskmanager.memory.framework.off-heap.size", "64m");
        config.put("taskmanager.memory.network.min", "32m");
        config.put("taskmanager.memory.network.max", "32m");
        config.put("taskmanager.memory.managed.size", "32m");
        config.put("taskmanager.numberOfTaskSlots", Integer.toString(spec.slotsPerTaskManager()));
        // Spread a job's subtasks over the TaskManagers, so that killing one hits a part of it.
        config.put("taskmanager.load-balance.mode", "SLOTS");
        config.put("parallelism.default", "1");

        config.put("web.submit.enable", "true");
        config.put("web.upload.dir", layout.uploads().toString());
        config.put("io.tmp.dirs", layout.tmp().toString());

        // A killed TaskManager is noticed within seconds (its RPC connection drops at once).
        config.put("heartbeat.interval", "1000");
        config.put("heartbeat.timeout", "10000");

        if (!spec.checkpointInterval().isZero()) {
            config.put(
                    "execution.checkpointing.interval",
                    spec.checkpointInterval().toMillis() + "ms");
        }
        config.put("execution.checkpointing.dir", layout.checkpoints().toUri().toString());
        config.put("execution.checkpointing.savepoint-dir", layout.savepoints().toUri().toString());
        config.put("state.backend.type", "hashmap");
        config.put("restart-strategy.type", "fixed-delay");
        config.put("restart-strategy.fixed-delay.attempts", "30");
        config.put("restart-strategy.fixed-delay.delay", "1s");
        config.put("jobmanager.execution.failover-strategy", "region");

        config.putAll(spec.extraConfiguration());
        return config;
    }

    static void write(Map<String, String> entries, ClusterLayout layout) {
        StringBuilder yaml = new StringBuilder("# Written by the pg-walstream e2e harness.\n");
        entries.forEach(
                (key, value) -> yaml.append(key).append(": ").append(scalar(value)).append('\n'));
        String log4j =
                String.join(
                        "\n",
                        "# Written by the pg-walstream e2e harness: everything to ${sys:log.file}.",
                        "monitorInterval = 0",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = MainAppender",
                        "logger.pekko.name = org.apache.pekko",
                        "logger.pekko.level = WARN",
                        "logger.netty.name = org.apache.flink.shaded.netty4",
                        "logger.netty.level = WARN",
                        "# FileSink's committer registers a metric twice on every checkpoint.",
                        "logger.metricgroup.name = org.apache.flink.metrics.MetricGroup",
                        "logger.metricgroup.level = ERROR",
                        "appender.main.name = MainAppender",
                        "appender.main.type = File",
                        "appender.main.append = true",
                        "appender.main.fileName = ${sys:log.file}",
                        "appender.main.layout.type = PatternLayout",
                        "appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                        "");
        try {
            Files.writeString(layout.conf().resolve("config.yaml"), yaml);
            Files.writeString(layout.conf().resolve("log4j.properties"), log4j);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A YAML scalar: plain where that is unambiguous, single-quoted otherwise. */
    static String scalar(String value) {
        if (PLAIN_SCALAR.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "''") + "'";
    }

    static Path configFile(ClusterLayout layout) {
        return layout.conf().resolve("config.yaml");
    }
}
