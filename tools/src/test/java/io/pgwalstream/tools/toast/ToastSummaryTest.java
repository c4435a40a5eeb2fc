package io.pgwalstream.tools.toast;

import io.pgwalstream.tools.toast.ToastRun.Contender;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ToastSummaryTest {

    private static final long UPDATES = 100_000;

    /** {@code UPDATES} rows drained at {@code rowsPerSecond}, 1 CPU-s, {@code walPerRow} bytes. */
    private static ToastRun run(
            Contender c, int run, boolean warmup, double rowsPerSecond, long walPerRow) {
        long stream = (long) (UPDATES / rowsPerSecond * 1e9);
        return new ToastRun(
                c,
                run,
                warmup,
                UPDATES,
                1,
                1,
                walPerRow * UPDATES,
                stream,
                1_000_000_000L,
                2_000_000_000L,
                0);
    }

    @Test
    void mediansRatiosToFullAndVerdicts() {
        List<ToastRun> runs = new ArrayList<>();
        runs.add(run(Contender.FILL, 1, true, 1, 1)); // a warm-up does not count
        for (int i = 1; i <= 3; i++) {
            runs.add(run(Contender.FILL, i, false, 40_000 + i, 200));
            runs.add(run(Contender.FULL, i, false, 50_000 * i, 4_000 + i));
        }
        String table = ToastSummary.table(runs, false);
        assertThat(table)
                .containsPattern("DEFAULT \\+ FILL +3 +40,002 +0\\.40 +10\\.00 +200 +0\\.05 ")
                .contains("rows/s MISSED, WAL met")
                .containsPattern("FULL +3 +100,000 +- +10\\.00 +4,002 +- ");
        assertThat(
                        ToastSummary.table(
                                List.of(
                                        run(Contender.FULL, 1, false, 90_000, 4_000),
                                        run(Contender.FILL, 1, false, 80_000, 2_600)),
                                false))
                .contains("0.89", "0.65", "rows/s met, WAL MISSED");
    }

    @Test
    void smokeIsNotJudged() {
        String table =
                ToastSummary.table(
                        List.of(
                                run(Contender.FILL, 1, false, 10, 200),
                                run(Contender.FULL, 1, false, 100, 4_000)),
                        true);
        assertThat(table).contains("targets not judged").doesNotContain("MISSED");
    }

    @Test
    void cpuFallsBackToTheWholeJobWhenTheWindowHasNone() {
        ToastRun r = new ToastRun(Contender.FILL, 1, false, 1000, 1, 1, 1, 1, -1, 3_000_000, 0);
        assertThat(r.cpuSecondsPerMillionRows()).isEqualTo(3.0);
        assertThat(r.line()).contains(" - ");
    }
}
