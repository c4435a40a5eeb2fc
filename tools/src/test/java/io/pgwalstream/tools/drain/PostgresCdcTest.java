package io.pgwalstream.tools.drain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresCdcTest {

    @Test
    void parsesTheChildsResultLineAmongItsOtherOutput() {
        String out =
                "some warning\n"
                        + "POSTGRES_CDC_RESULT rows=1000 wall_ns=2000000000 stream_ns=1500000000"
                        + " cpu_ns=3000000000 peak_rss_kb=512000\n";
        assertThat(PostgresCdc.parseResult(out))
                .containsEntry("rows", 1000L)
                .containsEntry("wall_ns", 2_000_000_000L)
                .containsEntry("stream_ns", 1_500_000_000L)
                .containsEntry("cpu_ns", 3_000_000_000L)
                .containsEntry("peak_rss_kb", 512_000L);
    }

    @Test
    void noResultWithoutTheLineOrWithAFieldMissing() {
        assertThat(PostgresCdc.parseResult("Exception in thread main\n")).isNull();
        assertThat(PostgresCdc.parseResult("POSTGRES_CDC_RESULT rows=1000 wall_ns=5\n")).isNull();
    }
}
