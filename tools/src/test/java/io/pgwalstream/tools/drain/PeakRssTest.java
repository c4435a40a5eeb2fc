package io.pgwalstream.tools.drain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeakRssTest {

    @Test
    void readsVmHwmFromAProcStatusText() {
        String status =
                "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  428012 kB\nVmRSS:\t  400000 kB\n";
        assertThat(PeakRss.vmHwmKb(status)).isEqualTo(428_012);
        assertThat(PeakRss.vmHwmKb("Name:\tkthreadd\nState:\tS (sleeping)\n")).isEqualTo(-1);
    }

    @Test
    void aProcessThatIsGoneHasNoPeak() {
        assertThat(PeakRss.ofPidKb(Long.MAX_VALUE)).isEqualTo(-1);
    }
}
