package io.pgwalstream.snapshot;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.TupleData;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What the stream of a slot group drops after its initial snapshot was resumed under a later
 * exported snapshot: a chunk read at LSN {@code L} already holds every commit before {@code L}, so
 * the stream (which starts at the earliest chunk's LSN) drops changes to that chunk's keys that
 * commit before {@code L}. An UPDATE moving a key between chunks is judged per side: it may become
 * only the DELETE of the old key or only the INSERT of the new one. Once the stream passes the
 * largest such LSN, nothing is dropped any more.
 */
public record HandOverFilter(List<Range> ranges) implements Serializable {

    public static final HandOverFilter NONE = new HandOverFilter(List.of());

    /** The keys {@code [lower, upper)} of one table, read at {@code snapshotLsn}. */
    public record Range(int relationOid, ChunkKey key, String lower, String upper, long snapshotLsn)
            implements Serializable {

        public Range {
            Objects.requireNonNull(key, "key");
            if (!key.orderedLikePostgres()) {
                throw new IllegalArgumentException(
                        "A key range of "
                                + key.sqlType()
                                + " cannot be matched in Java: "
                                + key.column());
            }
        }
    }

    public HandOverFilter {
        ranges = List.copyOf(ranges);
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /**
     * The event as the stream emits it: unchanged, reduced to one side of a key-moving UPDATE, or
     * null when dropped.
     *
     * @throws SnapshotException for a TRUNCATE of a table with a re-read chunk committed in the
     *     window: it would remove rows the later snapshot already holds, and keeping it or not are
     *     both wrong
     */
    public ChangeEvent apply(ChangeEvent event) {
        if (ranges.isEmpty()) {
            return event;
        }
        long lsn = event.position().commitLsn();
        if (event.kind() == ChangeKind.TRUNCATE) {
            event.truncatedRelations()
                    .forEach(r -> refuseTruncate(r.relation().relationOid(), lsn, event));
            return event;
        }
        if (event.relation() == null) {
            return event;
        }
        int oid = event.relation().relation().relationOid();
        switch (event.kind()) {
            case INSERT:
                return drops(oid, event.after(), event, lsn) ? null : event;
            case DELETE:
                return drops(oid, event.before(), event, lsn) ? null : event;
            case UPDATE:
                boolean dropNew = drops(oid, event.after(), event, lsn);
                if (!event.hasBefore()) {
                    return dropNew ? null : event; // the key did not change
                }
                boolean dropOld = drops(oid, event.before(), event, lsn);
                if (dropOld && dropNew) {
                    return null;
                }
                if (dropOld) {
                    return event.asInsertOfNewRow();
                }
                return dropNew ? event.asDeleteOfOldRow() : event;
            default:
                return event;
        }
    }

    /** Whether no range holds back changes committing at or after {@code lsn}. */
    public boolean retiredAt(long lsn) {
        for (Range range : ranges) {
            if (Long.compareUnsigned(lsn, range.snapshotLsn) < 0) {
                return false;
            }
        }
        return true;
    }

    private boolean drops(int oid, TupleData row, ChangeEvent event, long lsn) {
        for (Range range : ranges) {
            if (range.relationOid != oid || Long.compareUnsigned(lsn, range.snapshotLsn) >= 0) {
                continue;
            }
            int column = columnIndex(event, range.key.column());
            if (ChunkMembership.contains(range.key, range.lower, range.upper, row, column)) {
                return true;
            }
        }
        return false;
    }

    private static int columnIndex(ChangeEvent event, String name) {
        List<RelationColumn> columns = event.relation().relation().columns();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException(
                "Table "
                        + event.relation().relation().relationName()
                        + " no longer has its chunk key column "
                        + name);
    }

    private void refuseTruncate(int oid, long lsn, ChangeEvent event) {
        for (Range range : ranges) {
            if (range.relationOid == oid && Long.compareUnsigned(lsn, range.snapshotLsn) < 0) {
                throw new SnapshotException(
                        null,
                        SnapshotException.Reason.FAILED,
                        "A TRUNCATE committed at "
                                + io.pgwalstream.protocol.Lsn.format(lsn)
                                + " while the initial snapshot was being read again after its"
                                + " exported snapshot was lost; the rows read before and after it"
                                + " cannot be reconciled exactly. Restart the job without state.",
                        null);
            }
        }
    }
}
