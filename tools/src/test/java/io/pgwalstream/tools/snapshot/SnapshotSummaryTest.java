package io.pgwalstream.tools.snapshot;

import io.pgwalstream.tools.snapshot.SnapshotRun.Contender;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotSummaryTest {

    private static final long ROWS = 1_000_000;

    /** A run of {@code ROWS} rows at {@code rowsPerSecond}, 2 CPU-s, 500 MB. */
    private static SnapshotRun run(
            Contender c, int p, int run, boolean warmup, double rowsPerSecond) {
        long wall = (long) (ROWS / rowsPerSecond * 1e9);
        return new SnapshotRun(c, p, run, warmup, wall, 2_000_000_000L, -1, ROWS, -1, 512_000);
    }

    @Test
    void mediansRatiosAndVerdicts() {
        List<SnapshotRun> runs = new ArrayList<>();
        runs.add(run(Contender.COPY, 1, 1, true, 1)); // a warm-up does not count
        for (int i = 1; i <= 3; i++) {
            runs.add(run(Contender.COPY, 1, i, false, 1_000_000 * i));
            runs.add(run(Contender.PG_WALSTREAM, 1, i, false, 900_000));
            runs.add(run(Contender.PG_WALSTREAM, 2, i, false, 1_000_000 + i));
            runs.add(run(Contender.POSTGRES_CDC, 1, i, false, 25_000));
        }
        String table = SnapshotSummary.table(ROWS, runs, false);
        assertThat(table)
                .contains("COPY drain            3    2,000,000")
                .contains("pg-walstream p1       3      900,000     0.45    36.00")
                .contains("copy MISSED, cdc met")
                // no postgres-cdc at parallelism 2: its parallelism-1 median, marked
                .contains("pg-walstream p2       3    1,000,002     0.50   40.00*")
                .contains("postgres-cdc p1       3       25,000     0.01        -")
                .contains("2.00      500");
        assertThat(table.lines().filter(l -> l.startsWith("COPY drain")).count()).isEqualTo(1);
    }

    @Test
    void smokeIsNotJudgedAndMissingContendersShowNoRatio() {
        String table =
                SnapshotSummary.table(
                        ROWS, List.of(run(Contender.PG_WALSTREAM, 1, 1, false, 10)), true);
        assertThat(table)
                .contains("pg-walstream p1       1           10        -        -")
                .contains("targets not judged")
                .doesNotContain("MISSED");
    }
}
