package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.flink.source.ChangeEventDeserializer;
import io.pgwalstream.flink.source.PgWalStreamSource;
import io.pgwalstream.flink.source.PgWalStreamSourceBuilder;
import io.pgwalstream.flink.source.event.StreamSplitsHeld;
import io.pgwalstream.flink.source.split.PgWalStreamSourceSplit;
import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.protocol.StreamingMode;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.TableName;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;
import org.apache.flink.util.Collector;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slot groups go to the readers holding the fewest, counting what readers restored: readers carry
 * equal numbers of groups at the start, after a rescale and after a reader failure.
 */
class BalancedAssignmentTest {

    @Test
    void groupsAreSpreadEvenlyOverTheReaders() throws Exception {
        Fixture f = new Fixture(3, groups("g", 7));
        f.readersStart(0, 1, 2);

        assertThat(f.loads()).containsExactly(3, 2, 2);
        assertThat(f.assignedIds()).containsExactlyInAnyOrderElementsOf(ids("g", 7));
    }

    @Test
    void nothingIsAssignedUntilEveryReaderSaidWhatItRestored() throws Exception {
        Fixture f = new Fixture(2, groups("g", 4));
        f.context.registerReader(0, "localhost");
        f.context.registerReader(1, "localhost");
        f.enumerator.addReader(0);
        f.enumerator.addReader(1);
        f.enumerator.handleSourceEvent(0, new StreamSplitsHeld(List.of()));
        assertThat(f.assignedIds()).isEmpty();

        f.enumerator.handleSourceEvent(1, new StreamSplitsHeld(List.of()));
        assertThat(f.loads()).containsExactly(2, 2);
    }

    /** After a rescale Flink hands restored groups to readers; new ones fill the others up. */
    @Test
    void newGroupsGoToTheReadersThatRestoredFewest() throws Exception {
        Fixture f = new Fixture(3, groups("new", 3));
        f.register(0, 1, 2);
        f.enumerator.handleSourceEvent(0, new StreamSplitsHeld(List.of("old1", "old2", "old3")));
        f.enumerator.handleSourceEvent(1, new StreamSplitsHeld(List.of()));
        f.enumerator.handleSourceEvent(2, new StreamSplitsHeld(List.of("old4")));

        assertThat(f.loads()).as("new groups per reader").containsExactly(0, 2, 1);
    }

    @Test
    void aFailedReadersGroupsComeBackToItWhenItReturns() throws Exception {
        Fixture f = new Fixture(2, groups("g", 4));
        f.readersStart(0, 1);
        List<PgWalStreamSourceSplit> ofReader1 = f.assigned(1);
        assertThat(ofReader1).hasSize(2);

        // Reader 1 fails before a checkpoint recorded its groups: they are given back.
        f.enumerator.addSplitsBack(ofReader1, 1);
        f.context.getSplitAssignments().clear();
        f.enumerator.handleSourceEvent(1, new StreamSplitsHeld(List.of()));

        assertThat(f.loads()).as("reassigned per reader").containsExactly(0, 2);
    }

    private static List<SlotGroup> groups(String prefix, int n) {
        List<SlotGroup> groups = new ArrayList<>();
        for (String id : ids(prefix, n)) {
            groups.add(new SlotGroup(id, "pub", List.of(TableName.of("public", "t"))));
        }
        return groups;
    }

    private static List<String> ids(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    private static final class Nothing implements ChangeEventDeserializer<String> {
        @Override
        public void deserialize(ChangeEvent event, Collector<String> out) {}

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }

    /** An enumerator restored with prepared, unassigned groups: no server needed. */
    private static final class Fixture {
        final TestingSplitEnumeratorContext<PgWalStreamSourceSplit> context;
        final SplitEnumerator<PgWalStreamSourceSplit, PgWalStreamEnumState> enumerator;
        final int parallelism;

        Fixture(int parallelism, List<SlotGroup> groups) throws Exception {
            this.parallelism = parallelism;
            PgWalStreamSourceBuilder<String> builder =
                    PgWalStreamSource.<String>builder()
                            .connection(PgConnectionConfig.of("localhost", 5432, "db", "u"))
                            .deserializer(new Nothing())
                            .startFromCommitted();
            groups.forEach(g -> builder.slotGroup(g.slotName(), g.publication(), g.tables()));
            PgWalStreamSource<String> source = builder.build();
            List<PgWalStreamSplit> splits = new ArrayList<>();
            for (SlotGroup g : groups) {
                splits.add(
                        PgWalStreamSplit.fresh(
                                g,
                                new PgOutputOptions(4, StreamingMode.OFF, false, false, false),
                                null,
                                Lsn.INVALID,
                                Lsn.INVALID));
            }
            context = new TestingSplitEnumeratorContext<>(parallelism);
            enumerator =
                    source.restoreEnumerator(context, new PgWalStreamEnumState(Set.of(), splits));
            enumerator.start();
        }

        void register(int... readers) {
            for (int r : readers) {
                context.registerReader(r, "localhost");
                enumerator.addReader(r);
            }
        }

        void readersStart(int... readers) {
            register(readers);
            for (int r : readers) {
                enumerator.handleSourceEvent(r, new StreamSplitsHeld(List.of()));
            }
        }

        List<PgWalStreamSourceSplit> assigned(int reader) {
            var state = context.getSplitAssignments().get(reader);
            return state == null ? List.of() : state.getAssignedSplits();
        }

        List<Integer> loads() {
            Map<Integer, Integer> loads = new TreeMap<>();
            for (int r = 0; r < parallelism; r++) {
                loads.put(r, assigned(r).size());
            }
            return new ArrayList<>(loads.values());
        }

        Set<String> assignedIds() {
            Set<String> ids = new HashSet<>();
            for (int r = 0; r < parallelism; r++) {
                assigned(r).forEach(s -> assertThat(ids.add(s.splitId())).isTrue());
            }
            return ids;
        }
    }
}
