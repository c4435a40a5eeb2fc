package io.pgwalstream.flink.rowdata;

import io.pgwalstream.flink.rowdata.PgConversionOptions.NumericOverflow;
import io.pgwalstream.flink.rowdata.PgConversionOptions.NumericSpecialValues;
import io.pgwalstream.types.Ascii;
import io.pgwalstream.types.BinaryReads;
import io.pgwalstream.types.ByteSink;
import io.pgwalstream.types.PgBuiltinType;
import io.pgwalstream.types.PgBytea;
import io.pgwalstream.types.PgFloats;
import io.pgwalstream.types.PgNumerics;
import io.pgwalstream.types.ScalarTextForms;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Arrays;

/** Converters for booleans, integers, floating point, decimals and bytea. */
final class ScalarConverters {

    private ScalarConverters() {}

    /** bool → BOOLEAN: {@code t}/{@code f}, or one byte. */
    static final class BooleanConverter implements ValueConverter {
        private final ColumnContext ctx;

        BooleanConverter(ColumnContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Object fromText(byte[] b, int off, int len) {
            if (len == 1 && (b[off] == 't' || b[off] == 'f')) {
                return b[off] == 't' ? Boolean.TRUE : Boolean.FALSE;
            }
            throw ctx.fail("malformed text value: expected t or f", b, off, len, false);
        }

        @Override
        public Object fromBinary(byte[] b, int off, int len) {
            if (len != 1) {
                throw ctx.fail("malformed binary value: bool must be 1 byte", b, off, len, true);
            }
            return b[off] != 0 ? Boolean.TRUE : Boolean.FALSE;
        }
    }

    /**
     * int2/int4/int8 and the unsigned 32-bit oid/xid/cid → SMALLINT, INT or BIGINT (widening only).
     * Allocates only the box (values -128..127 are cached by the JDK).
     */
    static final class IntegerConverter implements ValueConverter {
        private final ColumnContext ctx;
        private final int binaryLength;
        private final boolean unsigned32;
        private final long min;
        private final long max;
        private final LogicalTypeRoot target;

        IntegerConverter(PgBuiltinType source, LogicalTypeRoot target, ColumnContext ctx) {
            this.ctx = ctx;
            this.target = target;
            switch (source) {
                case INT2:
                    binaryLength = 2;
                    min = Short.MIN_VALUE;
                    max = Short.MAX_VALUE;
                    unsigned32 = false;
                    break;
                case INT4:
                    binaryLength = 4;
                    min = Integer.MIN_VALUE;
                    max = Integer.MAX_VALUE;
                    unsigned32 = false;
                    break;
                case INT8:
                    binaryLength = 8;
                    min = Long.MIN_VALUE;
                    max = Long.MAX_VALUE;
                    unsigned32 = false;
                    break;
                default: // oid, xid, cid
                    binaryLength = 4;
                    min = 0;
                    max = 0xFFFF_FFFFL;
                    unsigned32 = true;
                    break;
            }
        }

        @Override
        public Object fromText(byte[] b, int off, int len) {
            long v;
            try {
                v = Ascii.parseLong(b, off, len);
            } catch (IllegalArgumentException e) {
                throw ctx.malformed(e, b, off, len, false);
            }
            if (v < min || v > max) {
                throw ctx.fail("malformed text value: out of range", b, off, len, false);
            }
            return box(v);
        }

        @Override
        public Object fromBinary(byte[] b, int off, int len) {
            if (len != binaryLength) {
                throw ctx.fail(
                        "malformed binary value: expected " + binaryLength + " bytes",
                        b,
                        off,
                        len,
                        true);
            }
            long v;
            switch (binaryLength) {
                case 2:
                    v = BinaryReads.int16(b, off);
                    break;
                case 4:
                    v = unsigned32 ? BinaryReads.uint32(b, off) : BinaryReads.int32(b, off);
                    break;
                default:
                    v = BinaryReads.int64(b, off);
                    break;
            }
            return box(v);
        }

        private Object box(long v) {
            switch (target) {
                case SMALLINT:
                    return (short) v;
                case INTEGER:
                    return (int) v;
                default:
                    return v;
            }
        }
    }

    /** float4 → FLOAT or DOUBLE, float8 → DOUBLE. NaN, ±Infinity and -0 are kept. */
    static final class FloatConverter implements ValueConverter {
        private final ColumnContext ctx;
        private final boolean sourceIsFloat4;
        private final boolean targetIsFloat;

        FloatConverter(PgBuiltinType source, LogicalTypeRoot target, ColumnContext ctx) {
            this.ctx = ctx;
            this.sourceIsFloat4 = source == PgBuiltinType.FLOAT4;
            this.targetIsFloat = target == LogicalTypeRoot.FLOAT;
        }

        @Override
        public Object fromText(byte[] b, int off, int len) {
            try {
                if (sourceIsFloat4) {
                    float f = PgFloats.parseFloat(b, off, len);
                    return targetIsFloat ? (Object) f : (Object) (double) f;
                }
                return PgFloats.parseDouble(b, off, len);
            } catch (IllegalArgumentException e) {
                throw ctx.malformed(e, b, off, len, false);
            }
        }

        @Override
        public Object fromBinary(byte[] b, int off, int len) {
            if (sourceIsFloat4) {
                if (len != 4) {
                    throw ctx.fail(
                            "malformed binary value: float4 must be 4 bytes", b, off, len, true);
                }
                float f = Float.intBitsToFloat(BinaryReads.int32(b, off));
                return targetIsFloat ? (Object) f : (Object) (double) f;
            }
            if (len != 8) {
                throw ctx.fail("malformed binary value: float8 must be 8 bytes", b, off, len, true);
            }
            return ScalarTextForms.float8(b, off);
        }
    }

    /** Applies the overflow policy to a value that needs more digits than its column has. */
    static DecimalData overflow(
            ColumnContext ctx, int precision, int scale, byte[] b, int off, int len, boolean bin) {
        String problem =
                "the value needs more than the "
                        + precision
                        + " digits of DECIMAL("
                        + precision
                        + ", "
                        + scale
                        + ")";
        if (ctx.policies.numericOverflow() == NumericOverflow.NULL_WITH_WARNING) {
            ctx.warn(
                    ConversionWarnings.Kind.NUMERIC_OVERFLOW_NULLED,
                    "Numeric value emitted as NULL: " + problem,
                    PgConversionOptions.NUMERIC_OVERFLOW);
            return null;
        }
        throw ctx.fail(problem, b, off, len, bin, PgConversionOptions.NUMERIC_OVERFLOW, null);
    }

    /**
     * numeric → DECIMAL(p, s). Half-up rounding to the scale, policies for NaN/±Infinity and
     * overflow.
     */
    static final class DecimalConverter implements ValueConverter {
        private final ColumnContext ctx;
        private final int precision;
        private final int scale;
        private final char[] scratch = new char[64];
        private final ByteSink text = new ByteSink();

        DecimalConverter(int precision, int scale, ColumnContext ctx) {
            this.ctx = ctx;
            this.precision = precision;
            this.scale = scale;
        }

        @Override
        public Object fromText(byte[] b, int off, int len) {
            return convert(b, off, len, b, off, len, false);
        }

        @Override
        public Object fromBinary(byte[] b, int off, int len) {
            if (precision <= 18) {
                // The common case without the text: at most 16 digits read, 18 in the result.
                long unscaled = PgNumerics.unscaled(b, off, len, scale);
                if (unscaled != PgNumerics.NOT_A_LONG) {
                    return Math.abs(unscaled) >= PgNumerics.POW10[precision]
                            ? overflow(ctx, precision, scale, b, off, len, true)
                            : DecimalData.fromUnscaledLong(unscaled, precision, scale);
                }
            }
            try {
                PgNumerics.formatBinary(b, off, len, text.reset());
            } catch (IllegalArgumentException e) {
                throw ctx.malformed(e, b, off, len, true);
            }
            return convert(text.array(), 0, text.length(), b, off, len, true);
        }

        private Object convert(
                byte[] t, int toff, int tlen, byte[] b, int off, int len, boolean bin) {
            DecimalData d;
            try {
                d = NumericDecimals.toDecimal(t, toff, tlen, precision, scale, scratch);
            } catch (IllegalArgumentException e) {
                throw ctx.malformed(e, b, off, len, bin);
            }
            if (d == NumericDecimals.SPECIAL) {
                String problem = "numeric NaN and infinity have no DECIMAL value";
                if (ctx.policies.numericSpecialValues() == NumericSpecialValues.NULL_WITH_WARNING) {
                    ctx.warn(
                            ConversionWarnings.Kind.NUMERIC_SPECIAL_VALUE_NULLED,
                            "Numeric special value emitted as NULL: " + problem,
                            PgConversionOptions.NUMERIC_SPECIAL_VALUES);
                    return null;
                }
                throw ctx.fail(
                        problem,
                        b,
                        off,
                        len,
                        bin,
                        PgConversionOptions.NUMERIC_SPECIAL_VALUES,
                        null);
            }
            if (d == null) {
                return overflow(ctx, precision, scale, b, off, len, bin);
            }
            return d;
        }
    }

    /**
     * 64-bit integers with an implied scale → DECIMAL(p, s): money (signed, 2 fractional digits as
     * in every locale with 2 {@code frac_digits}) and xid8 (unsigned, scale 0).
     */
    static final class Int64DecimalConverter implements ValueConverter {
        private final ColumnContext ctx;
        private final int precision;
        private final int scale;
        private final int sourceScale;
        private final boolean unsigned;
        private final char[] scratch = new char[32];

        Int64DecimalConverter(
                int sourceScale, boolean unsigned, int precision, int scale, ColumnContext ctx) {
            this.ctx = ctx;
            this.precision = precision;
            this.scale = scale;
            this.sourceScale = sourceScale;
            this.unsigned = unsigned;
        }

        @Override
        public Object fromText(byte[] b, int off, int len) {
            if (unsigned) {
                DecimalData d;
                try {
                    d = NumericDecimals.toDecimal(b, off, len, precision, scale, scratch);
                } catch (IllegalArgumentException e) {
                    throw ctx.malformed(e, b, off, len, false);
                }
                return d == null || d == NumericDecimals.SPECIAL
                        ? overflow(ctx, precision, scale, b, off, len, false)
                        : d;
            }
            long minorUnits;
            try {
                minorUnits = parseMoney(b, off, len, sourceScale);
            } catch (IllegalArgumentException e) {
                throw ctx.malformed(e, b, off, len, false);
            }
            return toDecimal(minorUnits, b, off, len, false);
        }

        @Override
        public Object fromBinary(byte[] b, int off, int len) {
            if (len != 8) {
                throw ctx.fail("malformed binary value: expected 8 bytes", b, off, len, true);
            }
            return toDecimal(BinaryReads.int64(b, off), b, off, len, true);
        }

        private Object toDecimal(long v, byte[] b, int off, int len, boolean bin) {
            if (!unsigned && sourceScale == scale && precision <= 18) {
                long limit = PgNumerics.POW10[precision];
                if (v > -limit && v < limit) {
                    return DecimalData.fromUnscaledLong(v, precision, scale);
                }
                return overflow(ctx, precision, scale, b, off, len, bin);
            }
            BigDecimal value =
                    unsigned && v < 0
                            ? new BigDecimal(new BigInteger(Long.toUnsignedString(v)), sourceScale)
                            : BigDecimal.valueOf(v, sourceScale);
            DecimalData d =
                    DecimalData.fromBigDecimal(
                            value.setScale(scale, RoundingMode.HALF_UP), precision, scale);
            return d == null ? overflow(ctx, precision, scale, b, off, len, bin) : d;
        }
    }

    /**
     * Parses money text as printed with a locale whose monetary decimal point is {@code .} ({@code
     * $1,234.56}, {@code -$1,234.56}, {@code ($1,234.56)}, {@code 1.234,56 €} is not supported):
     * currency symbols and group separators are skipped.
     */
    private static final String MONEY_HINT =
            " (the text form is read with '.' as the decimal point and 2 fractional digits: the"
                    + " server's lc_monetary must format money that way, or stream with"
                    + " binary=true)";

    static long parseMoney(byte[] b, int off, int len, int scale) {
        int end = off + len;
        boolean negative = false;
        int p = off;
        while (p < end && !Ascii.isDigit(b[p])) {
            if (b[p] == '-' || b[p] == '(') {
                negative = true;
            }
            p++;
        }
        if (p == end) {
            throw new IllegalArgumentException("no digits in money value" + MONEY_HINT);
        }
        // Accumulated negatively, as PostgreSQL does, so that the smallest value parses.
        long value = 0;
        int fraction = -1;
        for (; p < end; p++) {
            byte c = b[p];
            if (Ascii.isDigit(c)) {
                value = Math.subtractExact(Math.multiplyExact(value, 10), c - '0');
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (c == '.' && fraction < 0) {
                fraction = 0;
            } else if (c == ',' && fraction < 0) {
                continue;
            } else {
                break;
            }
        }
        for (; p < end; p++) {
            if (b[p] == '-') {
                negative = true;
            } else if (Ascii.isDigit(b[p])) {
                throw new IllegalArgumentException("unexpected digits in money value" + MONEY_HINT);
            }
        }
        int digits = Math.max(fraction, 0);
        if (digits != scale) {
            throw new IllegalArgumentException(
                    "money with " + digits + " fractional digits" + MONEY_HINT);
        }
        return negative ? value : Math.negateExact(value);
    }

    /** bytea → BYTES: hex ({@code \x0a0b}) or escape ({@code a\\b\001}) text, raw binary. */
    static final class BytesConverter implements ValueConverter {
        private final ColumnContext ctx;

        BytesConverter(ColumnContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Object fromText(byte[] b, int off, int len) {
            try {
                return PgBytea.parseText(b, off, len);
            } catch (IllegalArgumentException e) {
                throw ctx.malformed(e, b, off, len, false);
            }
        }

        @Override
        public Object fromBinary(byte[] b, int off, int len) {
            return Arrays.copyOfRange(b, off, off + len);
        }
    }
}
