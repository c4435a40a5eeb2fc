package io.pgwalstream.tools.drain;

import io.pgwalstream.tools.drain.RunResult.Contender;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DrainReportTest {

    private static RunResult run(Contender c, int n, boolean warmup, double wallS, double cpuS) {
        return new RunResult(
                c,
                n,
                warmup,
                (long) (wallS * 1e9),
                (long) (cpuS * 1e9),
                -1,
                -1,
                -1,
                -1,
                -1,
                -1,
                -1);
    }

    @Test
    void mediansIgnoreWarmupsAndRatioIsOursOverTheirs() {
        DrainReport report = new DrainReport(1_000_000, 130_000_000);
        report.add(run(Contender.PG_RECVLOGICAL, 1, true, 100, 100)); // ignored
        report.add(run(Contender.PG_RECVLOGICAL, 1, false, 10, 5));
        report.add(run(Contender.PG_RECVLOGICAL, 2, false, 8, 4));
        report.add(run(Contender.PG_RECVLOGICAL, 3, false, 12, 6));
        report.add(run(Contender.PG_WALSTREAM, 1, false, 9, 8));
        report.add(run(Contender.PG_WALSTREAM, 2, false, 11, 7));
        report.add(run(Contender.PG_WALSTREAM, 3, false, 10, 9));

        assertThat(report.medianRowsPerSecond(Contender.PG_RECVLOGICAL))
                .isCloseTo(100_000, within(0.01));
        assertThat(report.medianRowsPerSecond(Contender.PG_WALSTREAM))
                .isCloseTo(100_000, within(0.01));
        assertThat(report.throughputRatio(Contender.PG_WALSTREAM)).isCloseTo(1.0, within(1e-9));
        assertThat(report.medianCpuPerMillionRows(Contender.PG_RECVLOGICAL))
                .isCloseTo(5.0, within(1e-9));
        assertThat(report.summary(false))
                .contains(
                        "pg_recvlogical",
                        "pg-walstream",
                        "1.000x",
                        "target >= 0.95x: met",
                        "1.60x");
        assertThat(report.summary(true)).contains("not judged on a smoke run");

        // The Flink source has its own targets: a rows/s ratio and CPU per million rows.
        report.add(run(Contender.FLINK_SOURCE, 1, false, 12, 12));
        assertThat(report.summary(false))
                .contains(
                        "pg-walstream src / pg_recvlogical: rows/s 0.833x (target >= 0.90x: NOT"
                                + " met)",
                        "12.00 CPU-s / 1M rows (target <= 10: NOT met)");
    }

    @Test
    void aJobsStreamingPartHasItsOwnRateAndCpu() {
        DrainReport report = new DrainReport(1_000_000, 130_000_000);
        report.add(run(Contender.PG_RECVLOGICAL, 1, false, 10, 5));
        // 12 s and 12 CPU-s for the whole job, of which 8 s and 4 CPU-s between first and last row.
        report.add(
                new RunResult(
                        Contender.FLINK_SOURCE,
                        1,
                        false,
                        12_000_000_000L,
                        12_000_000_000L,
                        -1,
                        -1,
                        -1,
                        -1,
                        8_000_000_000L,
                        4_000_000_000L,
                        -1));
        assertThat(report.summary(false))
                .contains("12.00 CPU-s / 1M rows (target <= 10: NOT met)")
                .contains(
                        "pg-walstream src streaming only (first to last row, without the job's"
                                + " deployment and shutdown): 125,000 rows/s, 1.250x; 4.00 CPU-s /"
                                + " 1M rows");
    }

    @Test
    void withoutPgRecvLogicalThereIsNoRatio() {
        DrainReport report = new DrainReport(1_000_000, 130_000_000);
        report.add(run(Contender.PG_WALSTREAM, 1, false, 10, 5));
        assertThat(report.summary(false)).contains("pg-walstream").doesNotContain("ratio");
    }

    @Test
    void medianOfAnEvenCountIsTheMean() {
        assertThat(DrainReport.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(DrainReport.median(new double[] {7})).isEqualTo(7);
        assertThat(DrainReport.median(new double[0])).isNaN();
    }
}
