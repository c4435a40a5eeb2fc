package io.pgwalstream.tools.snapshot;

import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.PgConnections;
import io.pgwalstream.tools.drain.BenchDatabase;
import io.pgwalstream.tools.drain.BenchTable;
import io.pgwalstream.tools.drain.CpuClock;
import io.pgwalstream.tools.drain.PeakRss;
import io.pgwalstream.tools.snapshot.SnapshotRun.Contender;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

import java.sql.Connection;
import java.util.stream.Collectors;

/**
 * The server's limit: {@code COPY (SELECT <every column> FROM bench) TO STDOUT (FORMAT binary)} on
 * one pgjdbc connection, each CopyData message read with {@link CopyOut#readFromCopy()} and dropped
 * (its bytes counted). The server sends one CopyData message per row, the header with the first and
 * the trailer on its own, so messages − 1 must equal the table's rows.
 */
final class CopyDrain {

    private CopyDrain() {}

    static String query(BenchTable table) {
        return "COPY (SELECT "
                + table.columns().stream()
                        .map(BenchTable.Column::name)
                        .collect(Collectors.joining(", "))
                + " FROM "
                + BenchDatabase.TABLE
                + ") TO STDOUT (FORMAT binary)";
    }

    /** Wall: connect to the last byte. */
    static SnapshotRun run(
            PgConnectionConfig config,
            BenchTable table,
            long rows,
            CpuClock cpu,
            int run,
            boolean warmup)
            throws Exception {
        String sql = query(table);
        boolean rss = PeakRss.resetSelf();
        long cpu0 = cpu.processNanos();
        long t0 = System.nanoTime();
        long bytes = 0;
        long messages = 0;
        long first = -1;
        try (Connection c = PgConnections.openSql(config)) {
            CopyOut copy = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
            byte[] data;
            while ((data = copy.readFromCopy()) != null) {
                if (messages++ == 0) {
                    first = System.nanoTime() - t0;
                }
                bytes += data.length;
            }
        }
        long t1 = System.nanoTime();
        long cpu1 = cpu.processNanos();
        return new SnapshotRun(
                Contender.COPY,
                1,
                run,
                warmup,
                t1 - t0,
                cpu1 - cpu0,
                first,
                messages - 1,
                bytes,
                rss ? PeakRss.selfKb() : -1);
    }
}
