package io.pgwalstream.flink.source.enumerator;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which reader holds each slot group's stream split: those the enumerator assigned, and those the
 * readers report holding when they start (after a restore or a rescale, Flink hands restored splits
 * to readers without the enumerator). New splits go to the reader with the fewest, so readers carry
 * equal numbers of groups. Coordinator thread only.
 */
final class StreamSplitOwners {

    private final Map<String, Integer> owners = new HashMap<>();
    private final Set<Integer> reported = new HashSet<>();

    /** {@code reader} started holding exactly {@code splitIds}. */
    void reported(int reader, List<String> splitIds) {
        owners.values().removeIf(owner -> owner == reader);
        splitIds.forEach(id -> owners.put(id, reader));
        reported.add(reader);
    }

    void assigned(String splitId, int reader) {
        owners.put(splitId, reader);
    }

    /** A failed reader gave {@code splitId} back, or it finished. */
    void released(String splitId) {
        owners.remove(splitId);
    }

    /** {@code reader} failed: what it holds is known again when its successor reports. */
    void readerFailed(int reader) {
        reported.remove(reader);
    }

    /** Whether every one of {@code readers} has said what it holds. */
    boolean allReported(Collection<Integer> readers) {
        return reported.containsAll(readers);
    }

    /** The reader holding the fewest splits; the lowest subtask index among equals. */
    int leastLoaded(Collection<Integer> readers) {
        Map<Integer, Integer> load = new HashMap<>();
        owners.values().forEach(owner -> load.merge(owner, 1, Integer::sum));
        int best = -1;
        int bestLoad = Integer.MAX_VALUE;
        for (int reader : readers) {
            int l = load.getOrDefault(reader, 0);
            if (l < bestLoad || (l == bestLoad && reader < best)) {
                best = reader;
                bestLoad = l;
            }
        }
        return best;
    }

    /** How many splits {@code reader} holds, as far as the enumerator knows. */
    int load(int reader) {
        int n = 0;
        for (int owner : owners.values()) {
            if (owner == reader) {
                n++;
            }
        }
        return n;
    }
}
