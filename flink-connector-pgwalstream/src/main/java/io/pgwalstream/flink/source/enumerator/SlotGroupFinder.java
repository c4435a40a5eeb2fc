package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.flink.source.split.SlotGroup;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Yields the slot groups not handed out yet, prepared as fresh splits: the listed groups on the
 * first call, and on every call the discovered slots that are new. Called off the coordinator
 * thread, one call at a time.
 */
final class SlotGroupFinder {

    private final List<SlotGroup> listed;
    private final SlotGroupDiscovery discovery;
    private final SlotGroupPreparer preparer;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    /**
     * @param listed groups named in the configuration and not yet known
     * @param discovery null when the source only reads listed groups
     * @param known ids of groups already assigned or prepared (from the checkpoint)
     */
    SlotGroupFinder(
            List<SlotGroup> listed,
            SlotGroupDiscovery discovery,
            SlotGroupPreparer preparer,
            Collection<String> known) {
        this.listed = new ArrayList<>(listed);
        this.discovery = discovery;
        this.preparer = preparer;
        this.known.addAll(known);
    }

    List<PgWalStreamSplit> next() throws SQLException {
        List<SlotGroup> fresh = new ArrayList<>();
        for (SlotGroup group : listed) {
            if (known.add(group.id())) {
                fresh.add(group);
            }
        }
        listed.clear();
        if (discovery != null) {
            for (SlotGroup group : discovery.discover()) {
                if (!known.contains(group.id())) {
                    fresh.add(group);
                }
            }
        }
        if (fresh.isEmpty()) {
            return List.of();
        }
        List<PgWalStreamSplit> splits = preparer.prepare(fresh);
        fresh.forEach(g -> known.add(g.id()));
        return splits;
    }
}
