package io.pgwalstream.flink.table;

import io.pgwalstream.testing.postgres.PostgresServer;

import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A fresh database for one SQL test, and the DDL of a pg-walstream table reading it. */
record SqlTestDb(PostgresServer pg, String name) {

    /** A streaming table environment at parallelism 1 that fails instead of restarting. */
    static TableEnvironment tableEnvironment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        TableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.getConfig().set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return tEnv;
    }

    static SqlTestDb create(PostgresServer pg, String prefix) {
        return new SqlTestDb(pg, pg.createDatabase("sql_" + prefix));
    }

    String slot() {
        return name + "_slot";
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = pg.connect(name);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** The first column of every row of a query. */
    List<String> query(String sql) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Connection c = pg.connect(name);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                result.add(rs.getString(1));
            }
        }
        return result;
    }

    void createSlot() throws SQLException {
        sql("SELECT pg_create_logical_replication_slot('" + slot() + "', 'pgoutput')");
    }

    /**
     * {@code CREATE TABLE flinkName (columns) WITH (...)} reading this database as superuser, with
     * the given extra options ({@code 'key' = 'value'} pairs).
     */
    String ddl(String flinkName, String columns, String... options) {
        StringBuilder sb =
                new StringBuilder("CREATE TABLE ")
                        .append(flinkName)
                        .append(" (")
                        .append(columns)
                        .append(") WITH (")
                        .append("'connector' = 'pg-walstream'")
                        .append(", 'hostname' = '")
                        .append(pg.host())
                        .append("', 'port' = '")
                        .append(pg.port())
                        .append("', 'username' = '")
                        .append(PostgresServer.SUPERUSER)
                        .append("', 'database-name' = '")
                        .append(name)
                        .append("', 'slot.name' = '")
                        .append(slot())
                        .append("', 'replication.status-interval' = '1 s'");
        for (int i = 0; i < options.length; i += 2) {
            sb.append(", '").append(options[i]).append("' = '").append(options[i + 1]).append("'");
        }
        return sb.append(")").toString();
    }

    /** Runs a bounded query and returns its rows as {@code +I[1, a]} strings. */
    static List<String> collect(TableEnvironment tEnv, String query) throws Exception {
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(query).collect()) {
            it.forEachRemaining(r -> rows.add(r.toString()));
        }
        return rows;
    }

    /** Every message of a cause chain, to search an error without knowing where Flink wraps it. */
    static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getClass().getSimpleName())
                    .append(": ")
                    .append(c.getMessage())
                    .append('\n');
        }
        return sb.toString();
    }
}
