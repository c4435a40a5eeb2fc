package io.pgwalstream.e2e.jobs.sequence;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

import java.util.HashMap;
import java.util.Map;

/**
 * The e2e DataStream job: a {@link SequenceSource} written as {@code "<split>,<seq>"} lines by a
 * {@link FileSink}, which commits part files only when a checkpoint completes. Under failures and
 * restores the committed files therefore hold every element of every split exactly once.
 *
 * <p>Arguments ({@code --name value}): {@code output} (directory, required), {@code splits} (2),
 * {@code records-per-split} (1000), {@code records-per-second} per split (0 = unpaced), {@code
 * release-file} (pacing stops once it exists), {@code parallelism} (2). Checkpointing and restarts
 * come from the cluster's configuration.
 */
public final class SequenceJob {

    public static final String SOURCE_UID = "sequence-source";
    public static final String SINK_UID = "sequence-files";

    private SequenceJob() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        String output = required(options, "output");
        int splits = Integer.parseInt(options.getOrDefault("splits", "2"));
        long recordsPerSplit = Long.parseLong(options.getOrDefault("records-per-split", "1000"));
        int recordsPerSecond = Integer.parseInt(options.getOrDefault("records-per-second", "0"));
        String releaseFile = options.get("release-file");
        int parallelism = Integer.parseInt(options.getOrDefault("parallelism", "2"));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);

        SequenceSource<String> source =
                new SequenceSource<>(
                        splits,
                        recordsPerSplit,
                        recordsPerSecond,
                        releaseFile,
                        SequenceRecordMapper.lines(),
                        Types.STRING);
        FileSink<String> sink =
                FileSink.forRowFormat(new Path(output), new SimpleStringEncoder<String>("UTF-8"))
                        .withBucketAssigner(new BasePathBucketAssigner<>())
                        .withRollingPolicy(OnCheckpointRollingPolicy.build())
                        .withOutputFileConfig(
                                OutputFileConfig.builder()
                                        .withPartPrefix("sequence")
                                        .withPartSuffix(".txt")
                                        .build())
                        .build();

        env.fromSource(source, WatermarkStrategy.noWatermarks(), "sequence")
                .uid(SOURCE_UID)
                .sinkTo(sink)
                .uid(SINK_UID)
                .name("files");
        env.execute("e2e-sequence " + output);
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
