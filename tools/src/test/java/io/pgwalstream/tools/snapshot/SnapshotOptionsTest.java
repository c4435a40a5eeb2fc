package io.pgwalstream.tools.snapshot;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotOptionsTest {

    @Test
    void defaultsAreTheFullBenchmarkOnAHarnessServer() {
        SnapshotOptions o = SnapshotOptions.parse();
        assertThat(o.rows()).isEqualTo(5_000_000);
        assertThat(o.repetitions()).isEqualTo(3);
        assertThat(o.warmups()).isEqualTo(1);
        assertThat(o.parallelisms()).containsExactly(1, 2);
        assertThat(o.cdcParallelisms()).containsExactly(1);
        assertThat(o.chunkRows()).isEqualTo(8096);
        assertThat(o.postgresCdcJar()).isNull();
        assertThat(o.usesHarness()).isTrue();
        assertThat(o.maxParallelism()).isEqualTo(2);
    }

    @Test
    void smokeIsSmallButExplicitValuesWin() {
        SnapshotOptions smoke = SnapshotOptions.parse("--smoke");
        assertThat(smoke.rows()).isEqualTo(20_000);
        assertThat(smoke.repetitions()).isEqualTo(1);
        assertThat(smoke.warmups()).isZero();
        assertThat(smoke.parallelisms()).containsExactly(1, 2);
        assertThat(smoke.cdcParallelisms()).containsExactly(1);
        SnapshotOptions explicit =
                SnapshotOptions.parse("--rows", "2_000", "--cdc-parallelism", "2", "--smoke");
        assertThat(explicit.rows()).isEqualTo(2_000);
        assertThat(explicit.cdcParallelisms()).containsExactly(2);
    }

    @Test
    void listsJarAndServer() {
        SnapshotOptions o =
                SnapshotOptions.parse(
                        "--parallelism", "4, 1,4", "--postgres-cdc", "cdc.jar", "--host", "db");
        assertThat(o.parallelisms()).isEqualTo(List.of(4, 1));
        assertThat(o.cdcParallelisms()).isEqualTo(List.of(1));
        assertThat(o.maxParallelism()).isEqualTo(4);
        assertThat(o.postgresCdcJar()).isEqualTo(Path.of("cdc.jar"));
        assertThat(o.usesHarness()).isFalse();
    }

    @Test
    void rejectsWhatItCannotRun() {
        assertThatThrownBy(() -> SnapshotOptions.parse("--parallelism", "0"))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> SnapshotOptions.parse("--rows"))
                .hasMessageContaining("Missing value");
        assertThatThrownBy(() -> SnapshotOptions.parse("--workload", "wide"))
                .hasMessageContaining("Unknown option");
        assertThatThrownBy(() -> SnapshotOptions.parse("--help")).hasMessageContaining("Usage");
    }
}
