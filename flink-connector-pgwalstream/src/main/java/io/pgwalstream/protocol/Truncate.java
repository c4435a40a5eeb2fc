package io.pgwalstream.protocol;

import java.util.Arrays;

/**
 * {@code 'T'}: TRUNCATE of one or more published tables.
 *
 * @param xid the streamed (sub)transaction inside a stream block, else {@link #NO_XID}
 * @param options raw option bits: {@link #CASCADE}, {@link #RESTART_IDENTITY}; others are kept but
 *     have no meaning yet (PostgreSQL's own reader ignores them too)
 * @param relationOids the truncated tables; the accessor returns a copy
 */
public record Truncate(int xid, int options, int[] relationOids) implements StreamableMessage {

    public static final byte TAG = 'T';

    /** Option bit: TRUNCATE … CASCADE. */
    public static final int CASCADE = 1;

    /** Option bit: TRUNCATE … RESTART IDENTITY. */
    public static final int RESTART_IDENTITY = 2;

    public Truncate {
        relationOids = relationOids.clone();
    }

    @Override
    public int[] relationOids() {
        return relationOids.clone();
    }

    public int relationCount() {
        return relationOids.length;
    }

    public int relationOid(int index) {
        return relationOids[index];
    }

    public boolean cascade() {
        return (options & CASCADE) != 0;
    }

    public boolean restartIdentity() {
        return (options & RESTART_IDENTITY) != 0;
    }

    @Override
    public byte tag() {
        return TAG;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Truncate)) {
            return false;
        }
        Truncate other = (Truncate) o;
        return xid == other.xid
                && options == other.options
                && Arrays.equals(relationOids, other.relationOids);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * xid + options) + Arrays.hashCode(relationOids);
    }

    @Override
    public String toString() {
        return "Truncate[xid="
                + Integer.toUnsignedString(xid)
                + ", options="
                + options
                + ", relationOids="
                + Arrays.toString(relationOids)
                + ']';
    }
}
