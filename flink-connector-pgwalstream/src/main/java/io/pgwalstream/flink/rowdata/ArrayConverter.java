package io.pgwalstream.flink.rowdata;

import io.pgwalstream.flink.rowdata.PgConversionOptions.MultiDimensionalArrays;
import io.pgwalstream.types.BinaryArray;
import io.pgwalstream.types.BinaryReads;
import io.pgwalstream.types.PgArrayText;
import io.pgwalstream.types.PgType;
import io.pgwalstream.types.ScalarTextForms;

import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

import java.util.Arrays;

/**
 * PostgreSQL arrays → ARRAY (nested per {@link PgConversionOptions#MULTI_DIMENSIONAL_ARRAYS}), with
 * NULL elements. Lower bounds are not kept (Flink arrays start at 1 in SQL); an empty array is an
 * empty ARRAY at any nesting.
 *
 * <p>Text form ({@code array_out}): parsed by {@link PgArrayText}; unquoted and
 * quoted-without-escapes elements are converted straight from the message bytes, an element with
 * escapes is first unescaped into a new array.
 *
 * <p>Binary form: see {@link BinaryArray}. One-dimensional arrays without NULLs of bool, int2,
 * int4, int8, float4 and float8 read into primitive arrays (no boxing); everything else into {@code
 * Object[]}.
 */
final class ArrayConverter implements ValueConverter {

    private enum Primitive {
        BOOLEAN,
        SHORT,
        INT,
        LONG,
        FLOAT,
        DOUBLE
    }

    private final ColumnContext ctx;
    private final ValueConverter element;
    private final PgType elementType;
    private final int depth;
    private final Primitive primitive;
    private final BinaryArray header = new BinaryArray();
    private final PgArrayText text;
    private final TextElements textElements = new TextElements();

    private Object[] flat = new Object[16];
    private int count;
    private final int[] dims = new int[BinaryArray.MAX_DIMENSIONS];
    private int ndim;

    /**
     * @param element converter of the innermost elements
     * @param elementType the PostgreSQL element type
     * @param leafRoot the Flink type root of the innermost elements
     * @param depth how many ARRAY levels the target type nests
     */
    ArrayConverter(
            ValueConverter element,
            PgType elementType,
            LogicalTypeRoot leafRoot,
            int depth,
            ColumnContext ctx) {
        this.ctx = ctx;
        this.element = element;
        this.elementType = elementType;
        this.depth = depth;
        this.text = new PgArrayText(elementType);
        this.primitive = depth == 1 ? primitive(elementType, leafRoot) : null;
    }

    private static Primitive primitive(PgType elementType, LogicalTypeRoot root) {
        if (elementType.kind() != PgType.Kind.BUILTIN) {
            return null;
        }
        switch (elementType.builtin()) {
            case BOOL:
                return root == LogicalTypeRoot.BOOLEAN ? Primitive.BOOLEAN : null;
            case INT2:
                return root == LogicalTypeRoot.SMALLINT ? Primitive.SHORT : null;
            case INT4:
                return root == LogicalTypeRoot.INTEGER ? Primitive.INT : null;
            case INT8:
                return root == LogicalTypeRoot.BIGINT ? Primitive.LONG : null;
            case FLOAT4:
                return root == LogicalTypeRoot.FLOAT ? Primitive.FLOAT : null;
            case FLOAT8:
                return root == LogicalTypeRoot.DOUBLE ? Primitive.DOUBLE : null;
            default:
                return null;
        }
    }

    // ------------------------------------------------------------------ binary

    @Override
    public Object fromBinary(byte[] b, int off, int len) {
        try {
            header.reset(b, off, len);
        } catch (IllegalArgumentException e) {
            throw ctx.malformed(e, b, off, len, true);
        }
        if (elementType.kind() == PgType.Kind.BUILTIN
                && elementType.domainLabel() == null
                && header.ndim > 0
                && header.elementOid != elementType.oid()) {
            throw ctx.fail(
                    "array element type OID "
                            + Integer.toUnsignedString(header.elementOid)
                            + " where "
                            + elementType.name()
                            + " (OID "
                            + elementType.oid()
                            + ") was expected",
                    b,
                    off,
                    len,
                    true);
        }
        if (primitive != null && header.ndim == 1 && !header.hasNulls) {
            Object fast = primitiveArray(b, off, len);
            if (fast != null) {
                return fast;
            }
        }
        ndim = header.ndim;
        System.arraycopy(header.dims, 0, dims, 0, ndim);
        count = 0;
        ensureFlat(header.count);
        int p = header.dataOffset;
        for (int i = 0; i < header.count; i++) {
            int n = BinaryReads.int32(b, p);
            p += 4;
            if (n < 0) {
                flat[count++] = null;
            } else {
                flat[count++] = element.fromBinary(b, p, n);
                p += n;
            }
        }
        return build(b, off, len, true);
    }

    /** The elements as a primitive array, or null if an element is NULL after all. */
    private Object primitiveArray(byte[] b, int off, int len) {
        int n = header.count;
        int size;
        switch (primitive) {
            case BOOLEAN:
                size = 1;
                break;
            case SHORT:
                size = 2;
                break;
            case INT:
            case FLOAT:
                size = 4;
                break;
            default:
                size = 8;
                break;
        }
        int p = header.dataOffset;
        for (int i = 0; i < n; i++, p += 4 + size) {
            int elementLength = BinaryReads.int32(b, p);
            if (elementLength == -1) {
                return null;
            }
            if (elementLength != size) {
                throw ctx.fail(
                        "malformed binary value: array element of " + elementLength + " bytes",
                        b,
                        off,
                        len,
                        true);
            }
        }
        p = header.dataOffset + 4;
        int step = 4 + size;
        switch (primitive) {
            case BOOLEAN:
                {
                    boolean[] a = new boolean[n];
                    for (int i = 0; i < n; i++, p += step) {
                        a[i] = b[p] != 0;
                    }
                    return new GenericArrayData(a);
                }
            case SHORT:
                {
                    short[] a = new short[n];
                    for (int i = 0; i < n; i++, p += step) {
                        a[i] = (short) BinaryReads.int16(b, p);
                    }
                    return new GenericArrayData(a);
                }
            case INT:
                {
                    int[] a = new int[n];
                    for (int i = 0; i < n; i++, p += step) {
                        a[i] = BinaryReads.int32(b, p);
                    }
                    return new GenericArrayData(a);
                }
            case LONG:
                {
                    long[] a = new long[n];
                    for (int i = 0; i < n; i++, p += step) {
                        a[i] = BinaryReads.int64(b, p);
                    }
                    return new GenericArrayData(a);
                }
            case FLOAT:
                {
                    float[] a = new float[n];
                    for (int i = 0; i < n; i++, p += step) {
                        a[i] = Float.intBitsToFloat(BinaryReads.int32(b, p));
                    }
                    return new GenericArrayData(a);
                }
            default:
                {
                    double[] a = new double[n];
                    for (int i = 0; i < n; i++, p += step) {
                        a[i] = ScalarTextForms.float8(b, p);
                    }
                    return new GenericArrayData(a);
                }
        }
    }

    // ------------------------------------------------------------------ text

    @Override
    public Object fromText(byte[] b, int off, int len) {
        count = 0;
        try {
            text.parse(b, off, len, textElements);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw ctx.malformed(e, b, off, len, false);
        }
        ndim = text.dimensions();
        for (int d = 0; d < ndim; d++) {
            dims[d] = text.size(d);
        }
        return build(b, off, len, false);
    }

    /** Converts each text element and appends it to {@link #flat}. */
    private final class TextElements implements PgArrayText.Elements {
        @Override
        public void element(byte[] b, int off, int len) {
            ensureFlat(count + 1);
            flat[count++] = element.fromText(b, off, len);
        }

        @Override
        public void nullElement() {
            ensureFlat(count + 1);
            flat[count++] = null;
        }
    }

    // ------------------------------------------------------------------ shape

    private void ensureFlat(int size) {
        if (size > flat.length) {
            flat = Arrays.copyOf(flat, Math.max(size, flat.length * 2));
        }
    }

    private Object build(byte[] b, int off, int len, boolean bin) {
        if (ndim == 0 || count == 0) {
            return new GenericArrayData(new Object[0]);
        }
        if (ndim > 1 && ctx.policies.multiDimensionalArrays() == MultiDimensionalArrays.FAIL) {
            throw ctx.fail(
                    "the array has " + ndim + " dimensions",
                    b,
                    off,
                    len,
                    bin,
                    PgConversionOptions.MULTI_DIMENSIONAL_ARRAYS,
                    null);
        }
        if (ndim != depth) {
            throw ctx.fail(
                    "the array has "
                            + ndim
                            + " dimension(s) but the column is declared as ARRAY nested "
                            + depth
                            + " level(s); declare it with "
                            + ndim
                            + " nested ARRAY levels",
                    b,
                    off,
                    len,
                    bin);
        }
        int[] position = {0};
        GenericArrayData result = nest(0, position);
        Arrays.fill(flat, 0, count, null); // do not keep values alive
        return result;
    }

    private GenericArrayData nest(int dim, int[] position) {
        int size = dims[dim];
        if (dim == ndim - 1) {
            Object[] leaves = Arrays.copyOfRange(flat, position[0], position[0] + size);
            position[0] += size;
            return new GenericArrayData(leaves);
        }
        Object[] children = new Object[size];
        for (int i = 0; i < size; i++) {
            children[i] = nest(dim + 1, position);
        }
        return new GenericArrayData(children);
    }
}
