package io.pgwalstream.changes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class SubtransactionIndexTest {

    @Test
    void keepsTheFirstOffsetOfEachSubtransaction() {
        SubtransactionIndex index = new SubtransactionIndex();
        index.noteMessage(101, 10);
        index.noteMessage(102, 20);
        index.noteMessage(101, 30);

        assertThat(index.firstOffset(101)).isEqualTo(10);
        assertThat(index.firstOffset(102)).isEqualTo(20);
        assertThat(index.firstOffset(103)).isEqualTo(-1);

        index.truncate(20);
        assertThat(index.firstOffset(102)).isEqualTo(-1);
        assertThat(index.firstOffset(101)).isEqualTo(10);
        assertThat(index.size()).isEqualTo(1);

        index.noteMessage(102, 25);
        assertThat(index.firstOffset(102)).as("seen again after the truncation").isEqualTo(25);
    }

    @Test
    void agreesWithAMapUnderRandomUse() {
        Random random = new Random(99);
        for (int round = 0; round < 50; round++) {
            SubtransactionIndex index = new SubtransactionIndex();
            Map<Integer, Long> model = new LinkedHashMap<>();
            long offset = 0;
            int xidRange = 1 + random.nextInt(round % 2 == 0 ? 20 : 5_000);
            for (int op = 0; op < 5_000; op++) {
                if (random.nextInt(30) == 0 && !model.isEmpty()) {
                    List<Long> offsets = new ArrayList<>(model.values());
                    long cut = offsets.get(random.nextInt(offsets.size()));
                    index.truncate(cut);
                    model.values().removeIf(o -> o >= cut);
                } else {
                    // Colliding hashes: xids spaced by powers of two as well as random ones.
                    int xid =
                            random.nextBoolean()
                                    ? 1 + random.nextInt(xidRange)
                                    : (1 + random.nextInt(64)) << 16;
                    offset += 1 + random.nextInt(100);
                    index.noteMessage(xid, offset);
                    model.putIfAbsent(xid, offset);
                }
                if (op % 500 == 0) {
                    for (int xid = 1; xid <= xidRange; xid++) {
                        assertThat(index.firstOffset(xid)).isEqualTo(model.getOrDefault(xid, -1L));
                    }
                }
            }
            assertThat(index.size()).isEqualTo(model.size());
            for (Map.Entry<Integer, Long> e : model.entrySet()) {
                assertThat(index.firstOffset(e.getKey())).isEqualTo(e.getValue());
            }
        }
    }
}
