package io.pgwalstream.changes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ChangePositionTest {

    @Test
    void ordersByCommitLsnUnsignedThenIndex() {
        ChangePosition a = new ChangePosition(0x10L, 0x20L, 1);
        ChangePosition b = new ChangePosition(0x10L, 0x20L, 2);
        ChangePosition c = new ChangePosition(0x30L, 0x40L, 1);
        ChangePosition high = new ChangePosition(0x8000_0000_0000_0000L, 0L, 1);

        List<ChangePosition> list = new ArrayList<>(List.of(high, c, b, a));
        Collections.shuffle(list);
        Collections.sort(list);

        assertThat(list).containsExactly(a, b, c, high);
        assertThat(a.isBefore(b)).isTrue();
        assertThat(high.isAfter(c)).as("unsigned").isTrue();
    }

    @Test
    void theEndLsnIsNotPartOfTheIdentity() {
        // An ordinary transaction's events carry end 0; the same event streamed carries the end.
        ChangePosition ordinary = new ChangePosition(0x100L, 0L, 5);
        ChangePosition streamed = new ChangePosition(0x100L, 0x130L, 5);

        assertThat(ordinary).isEqualTo(streamed).hasSameHashCodeAs(streamed);
        assertThat(ordinary.compareTo(streamed)).isZero();
        assertThat(ordinary.hasCommitEndLsn()).isFalse();
        assertThat(streamed.hasCommitEndLsn()).isTrue();
    }

    @Test
    void aNonTransactionalMessageSortsBeforeATransactionCommittingRightAfterIt() {
        // The message's LSN is the end of its record; a commit record right after it starts there.
        ChangePosition message = ChangePosition.ofNonTransactionalMessage(0x200L);
        ChangePosition firstOfTransaction = new ChangePosition(0x200L, 0x230L, 1);

        assertThat(message.isNonTransactional()).isTrue();
        assertThat(message.index()).isZero();
        assertThat(message.isBefore(firstOfTransaction)).isTrue();
        assertThat(message.isAfter(new ChangePosition(0x1F0L, 0x1F8L, 99))).isTrue();
    }

    @Test
    void rejectsNegativeIndexesAndPrintsLsns() {
        assertThatThrownBy(() -> new ChangePosition(1L, 2L, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ChangePosition(0x1_0000_0010L, 0x1_0000_0040L, 3))
                .hasToString("1/10#3 (end 1/40)");
        assertThat(new ChangePosition(0x10L, 0L, 3)).hasToString("0/10#3 (end unknown)");
    }
}
