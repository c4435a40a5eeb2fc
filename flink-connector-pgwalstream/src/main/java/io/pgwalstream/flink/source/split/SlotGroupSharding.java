package io.pgwalstream.flink.source.split;

import io.pgwalstream.replication.TableName;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Spreads a table set over N slot groups, for users who ask for parallelism rather than listing
 * groups. The assignment is deterministic (sorted tables, round robin), so a restarted job with the
 * same tables and shard count reuses the same slots and publications.
 */
@Internal
public final class SlotGroupSharding {

    private SlotGroupSharding() {}

    /**
     * @param slotPrefix group i uses slot {@code <prefix>_<i>} and publication {@code
     *     <publicationPrefix>_<i>}
     */
    public static List<SlotGroup> shard(
            List<TableName> tables, int shards, String slotPrefix, String publicationPrefix) {
        if (shards < 1) {
            throw new IllegalArgumentException("The shard count must be at least 1, got " + shards);
        }
        List<TableName> sorted = new ArrayList<>(new TreeSet<>(tables));
        if (sorted.size() < shards) {
            throw new IllegalArgumentException(
                    "Cannot shard "
                            + sorted.size()
                            + " table(s) over "
                            + shards
                            + " slot groups: each group needs at least one table");
        }
        List<List<TableName>> buckets = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            buckets.add(new ArrayList<>());
        }
        for (int i = 0; i < sorted.size(); i++) {
            buckets.get(i % shards).add(sorted.get(i));
        }
        List<SlotGroup> groups = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            groups.add(
                    new SlotGroup(
                            slotPrefix + "_" + i, publicationPrefix + "_" + i, buckets.get(i)));
        }
        return groups;
    }
}
