package io.pgwalstream.tools.drain;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.tools.drain.RunResult.Contender;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Drains a slot with the SQL connector: a {@code 'pg-walstream'} table bounded at the end position
 * ({@code scan.bounded.mode = specific-lsn}), {@code INSERT INTO} a counting blackhole table, on
 * the same local cluster as the DataStream source. The Flink table declares every column of {@code
 * bench} with the connector's default type mapping and the primary key, so the changelog is upsert
 * (REPLICA IDENTITY DEFAULT), as a user of such a table gets it.
 *
 * <p>The wall time is from {@code execute()} (planning included) to the job's end; the streaming
 * time from the first row the sink receives to its last.
 */
public final class SqlDrain {

    private final SourceDrain cluster;
    private final BenchTable table;

    SqlDrain(SourceDrain cluster, BenchTable table) {
        this.cluster = cluster;
        this.table = table;
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
        StatementSet insert = statement(config, slot, binary, end);
        CountingSinkFactory.reset();
        boolean rss = PeakRss.resetSelf();
        long process0 = cpu.processNanos();
        long t0 = System.nanoTime();
        insert.execute().await();
        long t1 = System.nanoTime();
        long process1 = cpu.processNanos();
        return new RunResult(
                Contender.SQL,
                run,
                warmup,
                t1 - t0,
                process1 - process0,
                -1,
                -1,
                -1,
                CountingSinkFactory.ROWS.sum(),
                StreamWindow.nanos(),
                StreamWindow.cpuNanos(),
                rss ? PeakRss.selfKb() : -1);
    }

    /** The optimized plan of the job a run executes, to show what the planner put in between. */
    String explain(PgConnectionConfig config, String slot, boolean binary, Lsn end) {
        return statement(config, slot, binary, end).explain();
    }

    private StatementSet statement(
            PgConnectionConfig config, String slot, boolean binary, Lsn end) {
        StreamExecutionEnvironment env = cluster.environment();
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.executeSql(
                "CREATE TEMPORARY TABLE src ("
                        + table.flinkColumns()
                        + ") WITH ("
                        + options(sourceOptions(config, slot, binary, end))
                        + ")");
        tables.executeSql(
                "CREATE TEMPORARY TABLE sink ("
                        + table.flinkColumns()
                        + ") WITH ("
                        + options(Map.of("connector", CountingSinkFactory.IDENTIFIER))
                        + ")");
        StatementSet set = tables.createStatementSet();
        set.addInsertSql("INSERT INTO sink SELECT * FROM src");
        return set;
    }

    private static Map<String, String> sourceOptions(
            PgConnectionConfig config, String slot, boolean binary, Lsn end) {
        Map<String, String> options = connectionOptions(config);
        options.put("schema-name", "public");
        options.put("table-name", BenchDatabase.TABLE);
        options.put("slot.name", slot);
        options.put("slot.auto-create", "false");
        options.put("publication.name", BenchDatabase.PUBLICATION);
        options.put("scan.startup.mode", "committed-offset");
        options.put("scan.bounded.mode", "specific-lsn");
        options.put("scan.bounded.specific-lsn", end.toString());
        options.put("decoding.binary", Boolean.toString(binary));
        return options;
    }

    /** A {@code 'pg-walstream'} table's connector and connection options, in a mutable map. */
    public static Map<String, String> connectionOptions(PgConnectionConfig config) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connector", "pg-walstream");
        options.put("hostname", config.host());
        options.put("port", Integer.toString(config.port()));
        options.put("username", config.user());
        if (config.password() != null) {
            options.put("password", config.password());
        }
        options.put("database-name", config.database());
        return options;
    }

    /** The inside of a WITH clause: {@code 'key' = 'value', …}, quoted. */
    public static String options(Map<String, String> options) {
        return options.entrySet().stream()
                .map(e -> quote(e.getKey()) + " = " + quote(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
