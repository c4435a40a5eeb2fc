package io.pgwalstream.flink.table;

import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Flink table over 500 PostgreSQL tables, in one slot group and sharded over four: planning
 * describes them in a fixed number of round trips, the snapshot reads each table's row once, and
 * every table's name arrives. The planning and start times of 10 and 500 tables are logged.
 */
@PostgresTest
@Timeout(600)
class PgWalStreamManyTablesITCase {

    private static final Logger LOG = LoggerFactory.getLogger(PgWalStreamManyTablesITCase.class);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void fiveHundredTablesInOneSlotGroupAreEachRead(PostgresServer pg) throws Exception {
        SqlTestDb db = manyTables(pg, "many", 500);
        SqlTestDb few = manyTables(pg, "few", 10);

        assertEveryTableRead(few, 10, 1);
        assertEveryTableRead(db, 500, 1);
    }

    @Test
    void fiveHundredTablesShardedOverFourSlotGroupsAreEachRead(PostgresServer pg) throws Exception {
        assertEveryTableRead(manyTables(pg, "many_sharded", 500), 500, 4);
    }

    /** {@code n} tables {@code t_1 … t_n (id int PRIMARY KEY, v text)}, one row each. */
    private static SqlTestDb manyTables(PostgresServer pg, String prefix, int n) throws Exception {
        SqlTestDb db = SqlTestDb.create(pg, prefix);
        db.sql(
                "DO $$ BEGIN FOR i IN 1.."
                        + n
                        + " LOOP"
                        + " EXECUTE format('CREATE TABLE t_%s (id int PRIMARY KEY, v text)', i);"
                        + " EXECUTE format('ALTER TABLE t_%s REPLICA IDENTITY FULL', i);"
                        + " EXECUTE format('INSERT INTO t_%s VALUES (%s, ''row %s'')', i, i, i);"
                        + " END LOOP; END $$");
        return db;
    }

    private static void assertEveryTableRead(SqlTestDb db, int tables, int shards)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        TableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.getConfig().set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        tEnv.executeSql(
                db.ddl(
                        "src",
                        "id INT, v STRING, tbl STRING METADATA FROM 'table_name' VIRTUAL",
                        "table-name",
                        "t_.*",
                        "publication.name",
                        db.name() + "_pub",
                        "publication.auto-create",
                        "true",
                        "slot.shards",
                        Integer.toString(shards),
                        "scan.startup.mode",
                        "snapshot"));
        String query = "SELECT id, v, tbl FROM src";
        tEnv.explainSql(query); // warm: the first planning of a JVM loads the planner
        long planningStart = System.nanoTime();
        tEnv.explainSql(query);
        long planningMillis = (System.nanoTime() - planningStart) / 1_000_000;
        long start = System.nanoTime();
        Set<String> seen = new HashSet<>();
        int rows = 0;
        long firstRow = 0;
        try (CloseableIterator<Row> it = tEnv.executeSql(query).collect()) {
            while (it.hasNext()) {
                Row row = it.next();
                if (rows++ == 0) {
                    firstRow = System.nanoTime();
                }
                String table = (String) row.getField(2);
                assertThat(row.getField(1)).isEqualTo("row " + row.getField(0));
                assertThat(table).endsWith("t_" + row.getField(0));
                seen.add(table);
            }
        }
        LOG.info(
                "{} tables in {} slot group(s): planned in {} ms; planned, started and first row"
                        + " in {} ms, all read in {} ms",
                tables,
                shards,
                planningMillis,
                (firstRow - start) / 1_000_000,
                (System.nanoTime() - start) / 1_000_000);
        assertThat(rows).as("rows").isEqualTo(tables);
        assertThat(seen).as("distinct tables").hasSize(tables);
    }
}
