package io.pgwalstream.tools.drain;

import io.pgwalstream.tools.drain.BenchSummary.Median;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchSummaryTest {

    private static Median median(String format, String contender, double rowsPerSecond) {
        return new Median(
                "inserts 1,000,000 (1000/tx)", format, contender, 3, rowsPerSecond, 5, 400, 0);
    }

    @Test
    void ratiosAndVerdictsPerRunWithTheTextPostgresCdcForBinary() {
        String table =
                BenchSummary.table(
                        List.of(
                                median("text", "pg_recvlogical", 100_000),
                                median("text", "pg-walstream src", 95_000),
                                median("text", "postgres-cdc", 25_000),
                                median("binary", "pg_recvlogical", 100_000),
                                median("binary", "pg-walstream sql", 80_000)),
                        false);
        assertThat(table)
                .contains("pg-walstream src", "0.95 ", "3.80 ", "recv met, cdc met")
                .contains("0.80 ", "3.20*", "recv MISSED, cdc met");
        assertThat(BenchSummary.table(List.of(median("text", "pg-walstream src", 1)), true))
                .contains("targets not judged")
                .doesNotContain("MISSED");
    }

    @Test
    void parsesTheLinesDrainReportWrites() {
        DrainReport report = new DrainReport(1000, 100_000);
        report.add(
                new RunResult(
                        RunResult.Contender.SQL,
                        1,
                        false,
                        1_000_000_000L,
                        2_000_000_000L,
                        -1,
                        -1,
                        -1,
                        1000,
                        500_000_000L,
                        -1,
                        204_800));
        String line = report.results("inserts 1,000 (10/tx)", "binary").strip();
        Median m = Median.parse(line);
        assertThat(m.contender()).isEqualTo("pg-walstream sql");
        assertThat(m.format()).isEqualTo("binary");
        assertThat(m.rowsPerSecond()).isEqualTo(1000);
        assertThat(m.cpuPerMillionRows()).isEqualTo(2000);
        assertThat(m.peakRssMegabytes()).isEqualTo(200);
        assertThat(m.streamingRowsPerSecond()).isEqualTo(2000);
        assertThatThrownBy(() -> Median.parse("a\tb")).hasMessageContaining("8 tab-separated");
    }
}
