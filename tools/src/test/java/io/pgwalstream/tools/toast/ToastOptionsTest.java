package io.pgwalstream.tools.toast;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToastOptionsTest {

    @Test
    void defaultsAreTheFullBenchmarkOnAHarnessServer() {
        ToastOptions o = ToastOptions.parse();
        assertThat(o.rows()).isEqualTo(20_000);
        assertThat(o.updates()).isEqualTo(500_000);
        assertThat(o.batch()).isEqualTo(1000);
        assertThat(o.repetitions()).isEqualTo(3);
        assertThat(o.warmups()).isEqualTo(2);
        assertThat(o.parallelism()).isEqualTo(1);
        assertThat(o.stateBackend()).isEqualTo("hashmap");
        assertThat(o.checkpointMillis()).isEqualTo(10_000);
        assertThat(o.usesHarness()).isTrue();
    }

    @Test
    void smokeIsSmallButExplicitValuesWin() {
        ToastOptions smoke = ToastOptions.parse("--smoke");
        assertThat(smoke.rows()).isEqualTo(2_000);
        assertThat(smoke.updates()).isEqualTo(20_000);
        assertThat(smoke.repetitions()).isEqualTo(1);
        assertThat(smoke.warmups()).isZero();
        ToastOptions explicit =
                ToastOptions.parse("--updates", "5_000", "--smoke", "--state-backend", "rocksdb");
        assertThat(explicit.updates()).isEqualTo(5_000);
        assertThat(explicit.rows()).isEqualTo(2_000);
        assertThat(explicit.stateBackend()).isEqualTo("rocksdb");
    }

    @Test
    void rejectsWhatItCannotRun() {
        assertThatThrownBy(() -> ToastOptions.parse("--state-backend", "forst"))
                .hasMessageContaining("hashmap or rocksdb");
        assertThatThrownBy(() -> ToastOptions.parse("--updates", "0"))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> ToastOptions.parse("--rows"))
                .hasMessageContaining("Missing value");
        assertThatThrownBy(() -> ToastOptions.parse("--workload", "wide"))
                .hasMessageContaining("Unknown option");
    }

    @Test
    void thePasswordNeverPrints() {
        assertThat(ToastOptions.parse("--host", "db", "--password", "secret").toString())
                .doesNotContain("secret")
                .contains("***");
    }
}
