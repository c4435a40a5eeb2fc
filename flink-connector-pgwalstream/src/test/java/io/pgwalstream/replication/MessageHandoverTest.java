package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class MessageHandoverTest {

    private final List<Object> received = new ArrayList<>();
    private final MessageSink sink =
            new MessageSink() {
                @Override
                public void onSessionStart(SessionStart start) {
                    received.add(start);
                }

                @Override
                public void onMessage(byte[] copyData) {
                    received.add(copyData);
                }
            };

    @Test
    void boundedByCountAndBytesButAnOversizedMessageStillPasses() throws Exception {
        MessageHandover byCount = new MessageHandover(2, 1 << 20);
        assertThat(byCount.add(new byte[1])).isTrue();
        assertThat(byCount.add(new byte[1])).isFalse();

        MessageHandover byBytes = new MessageHandover(100, 10);
        assertThat(byBytes.add(new byte[50])).as("alone in the queue, too big").isFalse();
        assertThat(byBytes.poll(sink, 10, 1, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(byBytes.awaitRoom(System.nanoTime())).isTrue();
    }

    @Test
    void aBatchIsAdmittedWholeInOrderAndThenReportsNoRoom() throws Exception {
        MessageHandover handover = new MessageHandover(3, 1 << 20);
        assertThat(handover.addAll(List.of(new byte[] {1}, new byte[] {2}))).isTrue();
        assertThat(handover.addAll(List.of(new byte[] {3}, new byte[] {4}))).isFalse();
        assertThat(handover.bufferedMessages()).isEqualTo(4);

        assertThat(handover.poll(sink, 10, 1, TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(received)
                .extracting(m -> ((byte[]) m)[0])
                .containsExactly((byte) 1, (byte) 2, (byte) 3, (byte) 4);
        assertThat(handover.addAll(List.of())).isTrue();
    }

    @Test
    void keepsOrderAndSessionStartsAndCountsOnlyMessages() throws Exception {
        MessageHandover handover = new MessageHandover(10, 1000);
        SessionStart start = new SessionStart(2, Lsn.parse("0/10"), 0);
        handover.add(new byte[] {1});
        handover.addSessionStart(start);
        handover.add(new byte[] {2});

        assertThat(handover.poll(sink, 10, 1, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(received).hasSize(3);
        assertThat(received.get(1)).isEqualTo(start);
        assertThat((byte[]) received.get(2)).containsExactly(2);
        assertThat(handover.bufferedMessages()).isZero();
        assertThat(handover.bufferedBytes()).isZero();
    }

    @Test
    void aFailureArrivesAfterWhatWasReceivedBeforeIt() throws Exception {
        MessageHandover handover = new MessageHandover(10, 1000);
        handover.add(new byte[] {7});
        handover.fail(new ReplicationException("boom", null));

        assertThat(handover.poll(sink, 10, 1, TimeUnit.SECONDS)).isEqualTo(1);
        assertThatThrownBy(() -> handover.poll(sink, 10, 1, TimeUnit.SECONDS)).hasMessage("boom");
    }

    @Test
    void theProducerIsWokenOutOfABackPressureWait() throws Exception {
        MessageHandover handover = new MessageHandover(1, 1000);
        assertThat(handover.add(new byte[1])).isFalse();
        Thread waker = new Thread(handover::wakeProducer);
        long start = System.nanoTime();
        waker.start();
        boolean room = handover.awaitRoom(start + TimeUnit.SECONDS.toNanos(20));
        waker.join();
        assertThat(room).isFalse();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(20));
    }

    @Test
    void pollReturnsNothingAfterItsTimeout() throws Exception {
        assertThat(new MessageHandover(1, 1).poll(sink, 10, 10, TimeUnit.MILLISECONDS)).isZero();
    }
}
