package io.pgwalstream.flink.rowdata;

import io.pgwalstream.types.ByteSink;
import io.pgwalstream.types.PgIntervals;
import io.pgwalstream.types.PgTextForms;

import org.apache.flink.core.memory.MemorySegment;
import org.apache.flink.core.memory.MemorySegmentFactory;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.binary.BinaryStringData;

import javax.annotation.Nullable;

import java.util.Arrays;

/**
 * Converters to STRING. Text values ({@code 't'}) are UTF-8 (the connector requires a UTF-8 server
 * encoding) and become {@link StringData} directly over the message bytes: {@link
 * StringData#fromBytes(byte[], int, int)} wraps the array without copying, so with {@link
 * ConversionPolicies#shareMessageBuffer()} (the default) no bytes are copied at all and the row
 * keeps the message array alive; otherwise the value is copied into an exactly sized array first. A
 * shared value wraps its array through one {@link MemorySegment} per array and column ({@link
 * SharedBuffer}), not one per value: a snapshot chunk's strings are all in one array, and a segment
 * per value was a third of the snapshot's conversion cost. Binary values are rendered to
 * PostgreSQL's text form ({@link PgTextForms}) into a new array.
 */
final class StringConverters {

    private StringConverters() {}

    /**
     * Strings over the arrays values arrive in. Remembers the last array's segment, so the values
     * of one message or chunk share it. Not thread-safe, like the converters that own one.
     */
    static final class SharedBuffer {
        private final boolean share;
        private byte[] wrapped;
        private MemorySegment[] segments;

        SharedBuffer(boolean share) {
            this.share = share;
        }

        StringData string(byte[] b, int off, int len) {
            if (!share) {
                return StringData.fromBytes(Arrays.copyOfRange(b, off, off + len));
            }
            if (b != wrapped) {
                wrapped = b;
                segments = new MemorySegment[] {MemorySegmentFactory.wrap(b)};
            }
            return BinaryStringData.fromAddress(segments, off, len);
        }
    }

    /**
     * Types whose text form is the value: text, varchar, bpchar, name, json, xml, enums, citext
     * (binary form identical), jsonb and jsonpath (binary form = version byte 1 + text), and every
     * other type in text form with {@code formatter} rendering its binary form.
     */
    static final class TextForm implements ValueConverter {
        private final ColumnContext ctx;
        private final SharedBuffer strings;
        @Nullable private final PgTextForms.Formatter formatter;
        private final Mode mode;
        private final ByteSink sink = new ByteSink();

        enum Mode {
            /** Binary bytes are the text. */
            SAME_BYTES,
            /** Binary bytes are a version byte (1) and the text. */
            VERSIONED,
            /** Binary bytes are rendered by the formatter (null: not renderable). */
            FORMATTED
        }

        TextForm(Mode mode, @Nullable PgTextForms.Formatter formatter, ColumnContext ctx) {
            this.ctx = ctx;
            this.strings = new SharedBuffer(ctx.policies.shareMessageBuffer());
            this.mode = mode;
            this.formatter = formatter;
        }

        @Override
        public Object fromText(byte[] b, int off, int len) {
            return strings.string(b, off, len);
        }

        @Override
        public Object fromBinary(byte[] b, int off, int len) {
            switch (mode) {
                case SAME_BYTES:
                    return strings.string(b, off, len);
                case VERSIONED:
                    if (len < 1 || b[off] != 1) {
                        throw ctx.fail(
                                "malformed binary value: unknown format version",
                                b,
                                off,
                                len,
                                true);
                    }
                    return strings.string(b, off + 1, len - 1);
                default:
                    if (formatter == null) {
                        throw ctx.fail(
                                "the binary form of this type cannot be read; stream with"
                                        + " binary=false, or register the type's catalog facts"
                                        + " (PgUserType) for user-defined types",
                                b,
                                off,
                                len,
                                true);
                    }
                    try {
                        formatter.format(b, off, len, sink.reset());
                    } catch (RuntimeException e) {
                        throw ctx.malformed(e, b, off, len, true);
                    }
                    return StringData.fromBytes(sink.toByteArray());
            }
        }
    }

    /** interval → STRING in ISO 8601 (PostgreSQL's {@code iso_8601} IntervalStyle output). */
    static final class IntervalIso implements ValueConverter {
        private final ColumnContext ctx;
        private final PgIntervals.Value value = new PgIntervals.Value();
        private final ByteSink sink = new ByteSink(32);

        IntervalIso(ColumnContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Object fromText(byte[] b, int off, int len) {
            try {
                PgIntervals.parseText(b, off, len, value);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw ctx.malformed(e, b, off, len, false);
            }
            return format();
        }

        @Override
        public Object fromBinary(byte[] b, int off, int len) {
            try {
                PgIntervals.readBinary(b, off, len, value);
            } catch (IllegalArgumentException e) {
                throw ctx.malformed(e, b, off, len, true);
            }
            return format();
        }

        private Object format() {
            PgIntervals.formatIso(value, sink.reset());
            return StringData.fromBytes(sink.toByteArray());
        }
    }
}
