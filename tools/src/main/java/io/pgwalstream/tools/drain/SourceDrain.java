package io.pgwalstream.tools.drain;

import io.pgwalstream.flink.source.PgWalStreamSource;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.tools.drain.RunResult.Contender;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.table.data.RowData;

import java.net.URI;
import java.util.List;

/**
 * Drains a slot with the whole Flink source: {@link PgWalStreamSource} in bounded mode (up to the
 * end position) at parallelism 1, decoding and assembling every transaction and converting every
 * row to {@link RowData}, into a discarding sink — what a job pays before its own logic.
 *
 * <p>One local Flink cluster (a MiniCluster in this JVM) serves every run, so a run pays job
 * submission and task deployment but not cluster start-up; jobs are submitted to it in-process (see
 * {@link #execute}). The wall time is from building the job graph to the job's end.
 */
public final class SourceDrain implements AutoCloseable {

    private final MiniCluster cluster;
    private final URI rest;

    private SourceDrain(MiniCluster cluster, URI rest) {
        this.cluster = cluster;
        this.rest = rest;
    }

    static SourceDrain start() throws Exception {
        return start(1);
    }

    /** A local cluster of one task manager with {@code slots} task slots (the most parallelism). */
    public static SourceDrain start(int slots) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, 0);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        cluster.start();
        return new SourceDrain(cluster, cluster.getRestAddress().get());
    }

    RunResult drain(
            PgConnectionConfig config,
            String slot,
            boolean binary,
            Lsn end,
            CpuClock cpu,
            int run,
            boolean warmup)
            throws Exception {
        StreamExecutionEnvironment env = environment();
        BenchRowDataDeserializer deserializer = new BenchRowDataDeserializer();
        PgWalStreamSource<RowData> source =
                PgWalStreamSource.<RowData>builder()
                        .connection(config)
                        .slotGroup(
                                slot,
                                BenchDatabase.PUBLICATION,
                                List.of(
                                        TableName.of("public", BenchDatabase.TABLE),
                                        TableName.of("public", BenchDatabase.FENCE_TABLE)))
                        .createPublications(false)
                        .createSlots(false)
                        .binary(binary)
                        .startFromCommitted()
                        .stopAt(end)
                        .deserializer(deserializer)
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "pg-walstream " + slot)
                .sinkTo(new DiscardingSink<>());
        BenchRowDataDeserializer.reset();
        boolean rss = PeakRss.resetSelf();
        long process0 = cpu.processNanos();
        long t0 = System.nanoTime();
        execute(env, "drain " + slot);
        long t1 = System.nanoTime();
        long process1 = cpu.processNanos();
        return new RunResult(
                Contender.FLINK_SOURCE,
                run,
                warmup,
                t1 - t0,
                process1 - process0,
                -1,
                -1,
                -1,
                BenchRowDataDeserializer.ROWS.sum(),
                StreamWindow.nanos(),
                StreamWindow.cpuNanos(),
                rss ? PeakRss.selfKb() : -1);
    }

    /**
     * Runs the job on the in-process cluster and waits for its end through the cluster's own
     * future: a REST client polls for the result with a growing back-off, which would add up to a
     * second to a short run that is not the job's.
     */
    public void execute(StreamExecutionEnvironment env, String name) throws Exception {
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        awaitEnd(submit(graph));
    }

    /** Submits a job to the in-process cluster without waiting for it; returns its id. */
    public JobID submit(StreamGraph graph) throws Exception {
        JobID job = new JobID();
        graph.setJobId(job);
        cluster.submitJob(graph).get();
        return job;
    }

    /** Waits for a job's end; throws if it failed (a cancelled job ends without a throw here). */
    public JobStatus awaitEnd(JobID job) throws Exception {
        JobResult result = cluster.requestJobResult(job).get();
        JobStatus status = result.getJobStatus().orElse(null);
        if (status != JobStatus.CANCELED) {
            result.toJobExecutionResult(SourceDrain.class.getClassLoader()); // throws if it failed
        }
        return status;
    }

    /** The job's status now (an RPC to the cluster). */
    public JobStatus status(JobID job) throws Exception {
        return cluster.getJobStatus(job).get();
    }

    /**
     * Stops a job with a savepoint into {@code directory} (no drain: sources stop where they are)
     * and waits for its end; returns the savepoint's path.
     */
    public String stopWithSavepoint(JobID job, String directory) throws Exception {
        String path =
                cluster.stopWithSavepoint(job, directory, false, SavepointFormatType.CANONICAL)
                        .get();
        awaitEnd(job);
        return path;
    }

    /** Cancels a job and waits for its end. */
    public void cancel(JobID job) throws Exception {
        cluster.cancelJob(job).get();
        awaitEnd(job);
    }

    /** A client of the local cluster, parallelism 1, object reuse on. */
    StreamExecutionEnvironment environment() {
        return environment(1);
    }

    /** A client of the local cluster with the given parallelism, object reuse on. */
    public StreamExecutionEnvironment environment(int parallelism) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createRemoteEnvironment(rest.getHost(), rest.getPort());
        env.setParallelism(parallelism);
        // As the SQL runtime does: records pass between chained operators without copies.
        env.getConfig().enableObjectReuse();
        return env;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
