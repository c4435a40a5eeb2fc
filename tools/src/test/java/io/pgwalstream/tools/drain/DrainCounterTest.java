package io.pgwalstream.tools.drain;

import io.pgwalstream.protocol.Begin;
import io.pgwalstream.protocol.Insert;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.ReplicationFrameEncoder;
import io.pgwalstream.protocol.TupleBuilder;
import io.pgwalstream.replication.SessionStart;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The end rule is pg_recvlogical's --endpos rule, so both contenders consume the same messages. */
class DrainCounterTest {

    private static final long END = 0x5000;

    private static byte[] insertAt(long lsn) {
        return ReplicationFrameEncoder.xLogData(
                lsn, 0L, new Insert(0, 16_385, TupleBuilder.texts("1", "a")));
    }

    private static byte[] beginAt(long lsn) {
        return ReplicationFrameEncoder.xLogData(lsn, 0L, new Begin(lsn, 0L, 7));
    }

    @Test
    void countsUntilAMessageStartsPastTheEndWithoutCountingIt() {
        DrainCounter counter = new DrainCounter(Lsn.of(END));
        counter.onSessionStart(new SessionStart(1, Lsn.INVALID, 0));
        counter.onMessage(beginAt(0x1000));
        counter.onMessage(insertAt(0)); // non-final writes carry 0 and are consumed
        counter.onMessage(insertAt(0x4fff));
        assertThat(counter.done()).isFalse();
        counter.onMessage(beginAt(END + 1));
        assertThat(counter.done()).isTrue();
        counter.onMessage(insertAt(0x4000)); // rest of the batch: ignored
        assertThat(counter.messages()).isEqualTo(3);
        assertThat(counter.rowChanges()).isEqualTo(2);
        assertThat(counter.payloadBytes())
                .isEqualTo(beginAt(0x1000).length + 2L * insertAt(0).length - 3L * 25);
    }

    @Test
    void aMessageExactlyAtTheEndIsTheLastOne() {
        DrainCounter counter = new DrainCounter(Lsn.of(END));
        counter.onMessage(insertAt(END));
        assertThat(counter.done()).isTrue();
        assertThat(counter.rowChanges()).isEqualTo(1);
    }

    @Test
    void aKeepaliveAtOrPastTheEndEndsTheDrain() {
        DrainCounter counter = new DrainCounter(Lsn.of(END));
        counter.onMessage(ReplicationFrameEncoder.keepalive(END - 1, 0L, true));
        assertThat(counter.done()).isFalse();
        counter.onMessage(ReplicationFrameEncoder.keepalive(END, 0L, false));
        assertThat(counter.done()).isTrue();
        assertThat(counter.keepalives()).isEqualTo(2);
        assertThat(counter.messages()).isZero();
    }

    @Test
    void lsnsCompareUnsigned() {
        DrainCounter counter = new DrainCounter(Lsn.of(0x7FFF_FFFF_FFFF_FFFFL));
        counter.onMessage(insertAt(0x8000_0000_0000_0000L));
        assertThat(counter.done()).isTrue();
        assertThat(counter.messages()).isZero();
    }

    @Test
    void aReconnectVoidsTheRun() {
        DrainCounter counter = new DrainCounter(Lsn.of(END));
        counter.onSessionStart(new SessionStart(1, Lsn.INVALID, 0));
        assertThatThrownBy(() -> counter.onSessionStart(new SessionStart(2, Lsn.of(0x100), 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reconnected");
    }
}
