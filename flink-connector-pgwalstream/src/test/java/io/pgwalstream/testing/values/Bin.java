package io.pgwalstream.testing.values;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-side encoder of PostgreSQL binary send formats, written from the format descriptions (not
 * from the converters), for byte-vector tests.
 */
public final class Bin {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static Bin of() {
        return new Bin();
    }

    public Bin i8(int v) {
        out.write(v);
        return this;
    }

    public Bin i16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public Bin i32(int v) {
        i16(v >>> 16);
        return i16(v);
    }

    public Bin i64(long v) {
        i32((int) (v >>> 32));
        return i32((int) v);
    }

    public Bin f4(float v) {
        return i32(Float.floatToRawIntBits(v));
    }

    public Bin f8(double v) {
        return i64(Double.doubleToRawLongBits(v));
    }

    public Bin bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    public Bin utf8(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A length-prefixed value (Int32 length + bytes), or -1 for null. */
    public Bin value(byte[] b) {
        if (b == null) {
            return i32(-1);
        }
        return i32(b.length).bytes(b);
    }

    public byte[] build() {
        return out.toByteArray();
    }

    public static byte[] int2(int v) {
        return of().i16(v).build();
    }

    public static byte[] int4(int v) {
        return of().i32(v).build();
    }

    public static byte[] int8(long v) {
        return of().i64(v).build();
    }

    public static byte[] float4(float v) {
        return of().f4(v).build();
    }

    public static byte[] float8(double v) {
        return of().f8(v).build();
    }

    public static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** numeric_send of a BigDecimal, with dscale = max(scale, 0). */
    public static byte[] numeric(BigDecimal value) {
        int dscale = Math.max(value.scale(), 0);
        BigInteger unscaled = value.abs().setScale(dscale).unscaledValue();
        StringBuilder digitsPadded = new StringBuilder(unscaled.toString());
        while (digitsPadded.length() < dscale + 1) {
            digitsPadded.insert(0, '0');
        }
        String digits = digitsPadded.toString();
        // Pad so that the fractional part fills whole base-10000 digits.
        int fracPad = (4 - dscale % 4) % 4;
        StringBuilder s = new StringBuilder(digits);
        for (int i = 0; i < fracPad; i++) {
            s.append('0');
        }
        int intDigits = s.length() - dscale - fracPad;
        int lead = (4 - Math.floorMod(intDigits, 4)) % 4;
        for (int i = 0; i < lead; i++) {
            s.insert(0, '0');
        }
        List<Integer> groups = new ArrayList<>();
        for (int i = 0; i < s.length(); i += 4) {
            groups.add(Integer.parseInt(s.substring(i, i + 4)));
        }
        int weight = (intDigits + lead) / 4 - 1;
        // Strip leading and trailing zero groups as PostgreSQL does.
        while (!groups.isEmpty() && groups.get(0) == 0) {
            groups.remove(0);
            weight--;
        }
        while (!groups.isEmpty() && groups.get(groups.size() - 1) == 0) {
            groups.remove(groups.size() - 1);
        }
        if (groups.isEmpty()) {
            weight = 0;
        }
        Bin b =
                of().i16(groups.size())
                        .i16(weight)
                        .i16(value.signum() < 0 ? 0x4000 : 0)
                        .i16(dscale);
        for (int g : groups) {
            b.i16(g);
        }
        return b.build();
    }

    public static byte[] numericSpecial(int sign) {
        return of().i16(0).i16(0).i16(sign).i16(0).build();
    }

    /** A one-dimensional array with lower bound 1. */
    public static byte[] array(int elementOid, byte[]... elements) {
        boolean nulls = false;
        for (byte[] e : elements) {
            nulls |= e == null;
        }
        Bin b = of().i32(elements.length == 0 ? 0 : 1).i32(nulls ? 1 : 0).i32(elementOid);
        if (elements.length > 0) {
            b.i32(elements.length).i32(1);
        }
        for (byte[] e : elements) {
            b.value(e);
        }
        return b.build();
    }

    /** An array with the given dimensions and lower bounds; elements in row-major order. */
    public static byte[] array(int elementOid, int[] dims, int[] lowerBounds, byte[]... elements) {
        boolean nulls = false;
        for (byte[] e : elements) {
            nulls |= e == null;
        }
        Bin b = of().i32(dims.length).i32(nulls ? 1 : 0).i32(elementOid);
        for (int d = 0; d < dims.length; d++) {
            b.i32(dims[d]).i32(lowerBounds[d]);
        }
        for (byte[] e : elements) {
            b.value(e);
        }
        return b.build();
    }
}
