package io.pgwalstream.flink.rowdata;

import io.pgwalstream.types.PgBuiltinType;
import io.pgwalstream.types.PgType;
import io.pgwalstream.types.PgTypeRegistry;

import org.apache.flink.table.types.DataType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds single-column converters and feeds them values at a non-zero offset. */
final class Converters {

    final ConversionWarnings warnings = new ConversionWarnings();
    final PgTypeRegistry registry = new PgTypeRegistry();
    private ConversionPolicies policies = ConversionPolicies.defaults();

    Converters with(ConversionPolicies policies) {
        this.policies = policies;
        return this;
    }

    ValueConverter of(int typeOid, int typmod, DataType target) {
        return new ConverterFactory(registry, policies, warnings)
                .create("col", typeOid, typmod, target.getLogicalType());
    }

    ValueConverter of(PgBuiltinType type, DataType target) {
        return of(type.oid(), -1, target);
    }

    /** The value the default mapping produces for a text value. */
    Object text(PgBuiltinType type, int typmod, String text) {
        return text(
                of(type.oid(), typmod, PgTypeMapping.defaults().map(PgType.of(type), typmod)),
                text);
    }

    Object binary(PgBuiltinType type, int typmod, byte[] value) {
        return binary(
                of(type.oid(), typmod, PgTypeMapping.defaults().map(PgType.of(type), typmod)),
                value);
    }

    static Object text(ValueConverter c, String text) {
        byte[] v = text.getBytes(StandardCharsets.UTF_8);
        byte[] padded = pad(v);
        return c.fromText(padded, 3, v.length);
    }

    static Object binary(ValueConverter c, byte[] value) {
        return c.fromBinary(pad(value), 3, value.length);
    }

    /** {@code value} at offset 3 with garbage around it. */
    static byte[] pad(byte[] value) {
        byte[] padded = new byte[value.length + 6];
        Arrays.fill(padded, (byte) '7');
        System.arraycopy(value, 0, padded, 3, value.length);
        return padded;
    }
}
