package io.pgwalstream.types;

/**
 * The header of a binary array ({@code array_send}): Int32 ndim, Int32 flags (1 = has NULLs), Int32
 * element type OID, per dimension Int32 size and Int32 lower bound, then every element in row-major
 * order as Int32 length (-1 for NULL) and bytes. {@link #read} validates that the elements exactly
 * fill the value. Reusable: {@link #reset} reads another value into the same instance.
 */
public final class BinaryArray {

    /** PostgreSQL's MAXDIM. */
    public static final int MAX_DIMENSIONS = 6;

    public int ndim;
    public boolean hasNulls;
    public int elementOid;
    public final int[] dims = new int[MAX_DIMENSIONS];
    public final int[] lowerBounds = new int[MAX_DIMENSIONS];

    /** Offset of the first element's length word. */
    public int dataOffset;

    /** Number of elements (product of the dimensions). */
    public int count;

    public static BinaryArray read(byte[] b, int off, int len) {
        return new BinaryArray().reset(b, off, len);
    }

    public BinaryArray reset(byte[] b, int off, int len) {
        int end = off + len;
        BinaryReads.need(off, 12, end, "array header");
        ndim = BinaryReads.int32(b, off);
        int flags = BinaryReads.int32(b, off + 4);
        elementOid = BinaryReads.int32(b, off + 8);
        if (ndim < 0 || ndim > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("invalid number of array dimensions " + ndim);
        }
        if (flags != 0 && flags != 1) {
            throw new IllegalArgumentException("invalid array flags " + flags);
        }
        hasNulls = flags == 1;
        BinaryReads.need(off + 12, 8 * ndim, end, "array dimensions");
        long total = ndim == 0 ? 0 : 1;
        for (int d = 0; d < ndim; d++) {
            dims[d] = BinaryReads.int32(b, off + 12 + 8 * d);
            lowerBounds[d] = BinaryReads.int32(b, off + 16 + 8 * d);
            if (dims[d] < 0) {
                throw new IllegalArgumentException("negative array dimension");
            }
            total *= dims[d];
            if (total > len) {
                throw new IllegalArgumentException("array has more elements than bytes");
            }
        }
        count = (int) total;
        dataOffset = off + 12 + 8 * ndim;
        int p = dataOffset;
        for (int i = 0; i < count; i++) {
            BinaryReads.need(p, 4, end, "array element");
            int n = BinaryReads.int32(b, p);
            p += 4;
            if (n < -1) {
                throw new IllegalArgumentException("invalid array element length " + n);
            }
            if (n > 0) {
                BinaryReads.need(p, n, end, "array element");
                p += n;
            }
        }
        if (p != end) {
            throw new IllegalArgumentException("trailing bytes after array elements");
        }
        return this;
    }
}
