package io.pgwalstream.tools.toast;

import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.tools.drain.CountingSinkFactory;
import io.pgwalstream.tools.drain.SourceDrain;
import io.pgwalstream.tools.drain.SqlDrain;
import io.pgwalstream.tools.toast.ToastRun.Contender;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

import javax.annotation.Nullable;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SQL job of one contender: a {@code 'pg-walstream'} table with the primary key {@code id},
 * read as upserts from the initial snapshot on ({@code 'scan.startup.mode' = 'initial'}), {@code
 * INSERT INTO} a counting sink that checks every row's {@code big} value (at parallelism 1: above
 * it, a single writer behind a keyed exchange). The FILL contender's table adds {@code
 * 'types.unchanged-toast' = 'FILL'} with {@code 'types.unchanged-toast.missing' = 'FAIL'}: state
 * from the snapshot must fill every value, a lookup would fail the job. The FULL contender's table
 * keeps the default policy (FAIL), which its old rows never leave anything for.
 *
 * <p>The same statement builds the snapshot job and the drain job restored from its savepoint, so
 * the operators' generated ids match.
 */
final class ToastJob {

    private final Contender contender;
    private final PgConnectionConfig config;
    private final ToastOptions options;
    private final Path checkpoints;

    /**
     * {@code checkpoints}: the directory checkpoints are written to (state exceeds the 5 MB of the
     * JobManager's memory).
     */
    ToastJob(
            Contender contender,
            PgConnectionConfig config,
            ToastOptions options,
            Path checkpoints) {
        this.contender = contender;
        this.config = config;
        this.options = options;
        this.checkpoints = checkpoints;
    }

    /**
     * The job on {@code slot} (created by the job if missing), checkpointing every {@code
     * checkpointMillis}, started from {@code savepoint} if not null.
     */
    StreamGraph graph(
            SourceDrain cluster, String slot, long checkpointMillis, @Nullable String savepoint) {
        StreamExecutionEnvironment env = environment(cluster, checkpointMillis);
        statement(env, slot).attachAsDataStream();
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName("toast " + contender.table + " " + slot);
        if (savepoint != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        }
        return graph;
    }

    /** The optimized plan, to show what the planner put between source and sink. */
    String explain(SourceDrain cluster) {
        return statement(environment(cluster, 1000), "toast_explain").explain();
    }

    private StreamExecutionEnvironment environment(SourceDrain cluster, long checkpointMillis) {
        StreamExecutionEnvironment env = cluster.environment(options.parallelism());
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, options.stateBackend());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        env.configure(conf);
        if (checkpointMillis > 0) {
            env.enableCheckpointing(checkpointMillis);
        }
        return env;
    }

    private StreamStatementSet statement(StreamExecutionEnvironment env, String slot) {
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.executeSql(
                "CREATE TEMPORARY TABLE src (id BIGINT, n INT, note STRING, big STRING,"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + SqlDrain.options(sourceOptions(slot))
                        + ")");
        Map<String, String> sink = new LinkedHashMap<>();
        sink.put("connector", CountingSinkFactory.IDENTIFIER);
        sink.put("check.field", "big");
        sink.put("check.bytes", Integer.toString(ToastTables.BIG_BYTES));
        String key = "";
        if (options.parallelism() > 1) {
            // One writer, so that one thread keeps the stream window. The planner wants a key
            // for an upsert sink of another parallelism than its input: a keyed exchange to it.
            sink.put("sink.parallelism", "1");
            key = ", PRIMARY KEY (id) NOT ENFORCED";
        }
        tables.executeSql(
                "CREATE TEMPORARY TABLE sink (id BIGINT, n INT, note STRING, big STRING"
                        + key
                        + ") WITH ("
                        + SqlDrain.options(sink)
                        + ")");
        StreamStatementSet set = tables.createStatementSet();
        set.addInsertSql("INSERT INTO sink SELECT * FROM src");
        return set;
    }

    private Map<String, String> sourceOptions(String slot) {
        Map<String, String> o = SqlDrain.connectionOptions(config);
        o.put("schema-name", "public");
        o.put("table-name", contender.table);
        o.put("slot.name", slot);
        o.put("publication.name", contender.publication());
        o.put("scan.startup.mode", "initial");
        // DEFAULT would be upsert anyway; FULL would be 'all' (with -U rows) without this.
        o.put("changelog-mode", "upsert");
        if (contender == Contender.FILL) {
            o.put("types.unchanged-toast", "FILL");
            o.put("types.unchanged-toast.missing", "FAIL");
        }
        return o;
    }
}
