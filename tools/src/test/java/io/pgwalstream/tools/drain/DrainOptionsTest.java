package io.pgwalstream.tools.drain;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DrainOptionsTest {

    @Test
    void defaultsAreTheFullBenchmarkOnAHarnessServer() {
        DrainOptions o = DrainOptions.parse();
        assertThat(o.rows()).isEqualTo(1_000_000);
        assertThat(o.rowsPerTransaction()).isEqualTo(1000);
        assertThat(o.repetitions()).isEqualTo(3);
        assertThat(o.warmups()).isEqualTo(1);
        assertThat(o.usesHarness()).isTrue();
        assertThat(o.postgresMajor()).isEqualTo(17);
        assertThat(o.decodingWorkMem()).isEqualTo("64MB");
        assertThat(o.slotsPerContender()).isEqualTo(4);
        assertThat(o.onlyPgWalstream()).isFalse();
        assertThat(DrainOptions.parse("--only-pg-walstream").onlyPgWalstream()).isTrue();
    }

    @Test
    void smokeIsSmallButExplicitValuesWin() {
        DrainOptions smoke = DrainOptions.parse("--smoke");
        assertThat(smoke.rows()).isEqualTo(5_000);
        assertThat(smoke.repetitions()).isEqualTo(1);
        assertThat(smoke.warmups()).isZero();
        assertThat(DrainOptions.parse("--rows", "7_000", "--smoke").rows()).isEqualTo(7_000);
    }

    @Test
    void contendersAndWorkloads() {
        DrainOptions defaults = DrainOptions.parse();
        assertThat(defaults.withSql()).isTrue();
        assertThat(defaults.postgresCdcJar()).isNull();
        assertThat(defaults.workloadLabel()).isEqualTo("inserts 1,000,000 (1000/tx)");
        DrainOptions o =
                DrainOptions.parse(
                        "--no-sql",
                        "--postgres-cdc",
                        "cdc.jar",
                        "--workload",
                        "wide",
                        "--rows",
                        "200000",
                        "--results",
                        "out.tsv");
        assertThat(o.withSql()).isFalse();
        assertThat(o.postgresCdcJar()).isEqualTo(Path.of("cdc.jar"));
        assertThat(o.workload().table()).isSameAs(BenchTable.WIDE);
        assertThat(o.results()).isEqualTo(Path.of("out.tsv"));
        assertThat(o.workloadLabel()).isEqualTo("wide 200,000 (1000/tx)");
        assertThatThrownBy(() -> DrainOptions.parse("--workload", "deletes"))
                .hasMessageContaining("inserts, updates or wide");
    }

    @Test
    void anExistingServer() {
        DrainOptions o =
                DrainOptions.parse(
                        "--host",
                        "db.example",
                        "--port",
                        "6543",
                        "--database",
                        "shop",
                        "--user",
                        "cdc",
                        "--password",
                        "pw",
                        "--binary",
                        "--decoding-work-mem",
                        "server",
                        "--pg-recvlogical",
                        "/opt/pg/bin/pg_recvlogical");
        assertThat(o.usesHarness()).isFalse();
        assertThat(o.host()).isEqualTo("db.example");
        assertThat(o.port()).isEqualTo(6543);
        assertThat(o.database()).isEqualTo("shop");
        assertThat(o.user()).isEqualTo("cdc");
        assertThat(o.password()).isEqualTo("pw");
        assertThat(o.binary()).isTrue();
        assertThat(o.decodingWorkMem()).isNull();
        assertThat(o.pgRecvLogical()).isEqualTo(Path.of("/opt/pg/bin/pg_recvlogical"));
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        assertThatThrownBy(() -> DrainOptions.parse("--rows"))
                .hasMessageContaining("Missing value for --rows");
        assertThatThrownBy(() -> DrainOptions.parse("--rows", "many"))
                .hasMessageContaining("--rows needs a number");
        assertThatThrownBy(() -> DrainOptions.parse("--repetitions", "0"))
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> DrainOptions.parse("--frobnicate", "1"))
                .hasMessageContaining("Unknown option --frobnicate");
        assertThatThrownBy(() -> DrainOptions.parse("--decoding-work-mem", "lots"))
                .hasMessageContaining("--decoding-work-mem");
    }
}
