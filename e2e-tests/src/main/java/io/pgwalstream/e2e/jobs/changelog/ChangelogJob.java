package io.pgwalstream.e2e.jobs.changelog;

import io.pgwalstream.flink.source.PgWalStreamSource;
import io.pgwalstream.flink.source.PgWalStreamSourceBuilder;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.ReconnectPolicy;
import io.pgwalstream.replication.TableName;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The e2e job on real PostgreSQL: a {@link PgWalStreamSource} over existing slots and publications
 * (one slot group per table) writes every change as a {@link ChangeLine} through a {@link
 * FileSink}.
 *
 * <p>Why files: the FileSink is Flink's own two-phase-commit sink. Part files become visible only
 * when the checkpoint (or savepoint) that covers them completes, so the committed files are exactly
 * what the job's checkpointed state says was emitted. Every line carries the event's position, so a
 * change emitted twice shows up as two lines: nothing in the sink hides a duplicate from the test,
 * as an idempotent upsert into a table would.
 *
 * <p>Arguments ({@code --name value}): {@code host}, {@code port}, {@code database}, {@code user}
 * (trusted, no password), {@code groups} ({@code slot/publication/schema.table}, comma separated),
 * {@code output} (directory URI), {@code parallelism} (2). Checkpointing and restarts come from the
 * cluster's configuration.
 */
public final class ChangelogJob {

    public static final String SOURCE_UID = "pg-walstream-source";
    public static final String SINK_UID = "changelog-files";

    private ChangelogJob() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        PgConnectionConfig connection =
                PgConnectionConfig.of(
                        required(options, "host"),
                        Integer.parseInt(required(options, "port")),
                        required(options, "database"),
                        required(options, "user"));
        int parallelism = Integer.parseInt(options.getOrDefault("parallelism", "2"));

        PgWalStreamSourceBuilder<String> source =
                PgWalStreamSource.<String>builder()
                        .connection(connection)
                        .reconnectPolicy(ReconnectPolicy.DEFAULT)
                        .statusInterval(Duration.ofSeconds(1))
                        .deserializer(new ChangeLineDeserializer());
        for (String group : required(options, "groups").split(",")) {
            String[] parts = group.split("/");
            if (parts.length != 3) {
                throw new IllegalArgumentException(
                        "Expected slot/publication/schema.table, got: " + group);
            }
            source.slotGroup(parts[0], parts[1], List.of(TableName.parse(parts[2])));
        }

        FileSink<String> sink =
                FileSink.forRowFormat(
                                new Path(required(options, "output")),
                                new SimpleStringEncoder<String>("UTF-8"))
                        .withBucketAssigner(new BasePathBucketAssigner<>())
                        .withRollingPolicy(OnCheckpointRollingPolicy.build())
                        .withOutputFileConfig(
                                OutputFileConfig.builder()
                                        .withPartPrefix("changes")
                                        .withPartSuffix(".txt")
                                        .build())
                        .build();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.fromSource(source.build(), WatermarkStrategy.noWatermarks(), "pg-walstream")
                .uid(SOURCE_UID)
                .sinkTo(sink)
                .uid(SINK_UID)
                .name("changelog files");
        env.execute("e2e-changelog " + connection.database());
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        "Expected '--name value' pairs, got: " + String.join(" ", args));
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Missing --" + name);
        }
        return value;
    }
}
