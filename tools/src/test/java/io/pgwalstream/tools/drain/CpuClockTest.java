package io.pgwalstream.tools.drain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CpuClockTest {

    // Fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    //         utime stime cutime cstime ...
    private static final String STAT =
            "4242 (java (x) y) S 1 4242 4242 0 -1 4194304 100 200 0 0 1234 56 78 9 20 0 30 0";

    @Test
    void readsOwnAndChildrenTimesAfterAnAwkwardName() {
        assertThat(CpuClock.ownTicks(STAT)).isEqualTo(1234 + 56);
        assertThat(CpuClock.childrenTicks(STAT)).isEqualTo(78 + 9);
    }

    @Test
    void childrenCpuIncludesAWaitedForChild() throws Exception {
        CpuClock cpu = CpuClock.forThisMachine();
        long before = cpu.reapedChildrenNanos();
        // A child that burns some CPU: sh counting in a loop.
        Process p =
                new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done")
                        .start();
        assertThat(p.waitFor()).isZero();
        assertThat(cpu.reapedChildrenNanos()).isGreaterThan(before);
    }
}
