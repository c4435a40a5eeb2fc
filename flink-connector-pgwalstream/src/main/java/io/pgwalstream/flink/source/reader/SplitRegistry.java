package io.pgwalstream.flink.source.reader;

import io.pgwalstream.replication.LsnFeedback;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the fetcher thread and the task thread of one reader share per split: the progress ledger
 * and the LSN feedback the confirmation goes to.
 */
final class SplitRegistry {

    record Shared(SplitProgress progress, LsnFeedback feedback) {}

    private final Map<String, Shared> splits = new ConcurrentHashMap<>();

    Shared register(String splitId, LsnFeedback feedback) {
        Shared shared = new Shared(new SplitProgress(), feedback);
        splits.put(splitId, shared);
        return shared;
    }

    Shared get(String splitId) {
        return splits.get(splitId);
    }

    void remove(String splitId) {
        splits.remove(splitId);
    }
}
