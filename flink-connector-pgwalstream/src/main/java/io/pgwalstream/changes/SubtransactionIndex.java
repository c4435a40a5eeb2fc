package io.pgwalstream.changes;

import java.util.Arrays;

/**
 * For one streamed top-level transaction: the offset, in its {@link TransactionBuffer}, of the
 * first message of each subtransaction, in order of first appearance — what a Stream Abort of a
 * subtransaction needs, since it discards from that subtransaction's first message on (PostgreSQL's
 * apply worker keeps the same list, {@code subxact_info} in worker.c).
 *
 * <p>Why truncating is right: subtransactions nest. Once a subtransaction has written, every later
 * message until its abort is written by it or by subtransactions nested in it, and the abort of an
 * outer savepoint aborts those too. A rolled-back subtransaction's Stream Abort arrives before any
 * message written after the rollback (the abort record precedes them in the WAL).
 *
 * <p>Primitive arrays plus an open-addressing index keep this compact and O(1) per message even for
 * transactions with very many subtransactions (a PL/pgSQL exception block per row creates one per
 * row): about 24 bytes per subtransaction.
 */
final class SubtransactionIndex {

    private int[] xids = new int[8];
    private long[] offsets = new long[8];
    private int size;

    /** Open addressing with linear probing: position + 1, 0 = empty. */
    private int[] table = new int[16];

    private int lastXid;

    /** Records that a message of {@code xid} was appended at {@code offset}. */
    void noteMessage(int xid, long offset) {
        if (xid == lastXid) {
            return;
        }
        lastXid = xid;
        if (find(xid) >= 0) {
            return;
        }
        if (size == xids.length) {
            xids = Arrays.copyOf(xids, size * 2);
            offsets = Arrays.copyOf(offsets, size * 2);
        }
        xids[size] = xid;
        offsets[size] = offset;
        size++;
        if (size * 2 > table.length) {
            rehash(table.length * 2);
        } else {
            insert(size - 1);
        }
    }

    /** Offset of the first message of {@code xid}, or -1 if it has none. */
    long firstOffset(int xid) {
        int position = find(xid);
        return position < 0 ? -1L : offsets[position];
    }

    /** Forgets the subtransactions first seen at or after {@code offset}. */
    void truncate(long offset) {
        while (size > 0 && offsets[size - 1] >= offset) {
            delete(size - 1);
            size--;
        }
        lastXid = 0;
    }

    int size() {
        return size;
    }

    private static int hash(int xid) {
        int h = xid * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private int find(int xid) {
        int mask = table.length - 1;
        for (int i = hash(xid) & mask; table[i] != 0; i = (i + 1) & mask) {
            int position = table[i] - 1;
            if (xids[position] == xid) {
                return position;
            }
        }
        return -1;
    }

    private void insert(int position) {
        int mask = table.length - 1;
        int i = hash(xids[position]) & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = position + 1;
    }

    private void rehash(int capacity) {
        table = new int[capacity];
        for (int p = 0; p < size; p++) {
            insert(p);
        }
    }

    /** Removes the entry at {@code position} from the table (backward-shift deletion). */
    private void delete(int position) {
        int mask = table.length - 1;
        int i = hash(xids[position]) & mask;
        while (table[i] != position + 1) {
            i = (i + 1) & mask;
        }
        int hole = i;
        for (int j = (hole + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int home = hash(xids[table[j] - 1]) & mask;
            // Move the entry at j into the hole unless its home lies cyclically in (hole, j].
            boolean homeBetween =
                    hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!homeBetween) {
                table[hole] = table[j];
                hole = j;
            }
        }
        table[hole] = 0;
    }
}
