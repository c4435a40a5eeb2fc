package io.pgwalstream.flink.rowdata;

import io.pgwalstream.flink.rowdata.PgConversionOptions.MultiDimensionalArrays;
import io.pgwalstream.testing.values.Bin;
import io.pgwalstream.types.PgBuiltinType;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.pgwalstream.flink.rowdata.Converters.binary;
import static io.pgwalstream.flink.rowdata.Converters.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Arrays in text ({@code array_out}) and binary ({@code array_send}) form. */
class ArrayConverterTest {

    private final Converters converters = new Converters();

    private ValueConverter array(PgBuiltinType element, DataType target) {
        return converters.of(element.arrayOid(), -1, target);
    }

    /** The elements as Java lists (nested for nested arrays), strings as java.lang.String. */
    static List<Object> elements(Object array) {
        List<Object> out = new ArrayList<>();
        for (Object v : ((GenericArrayData) array).toObjectArray()) {
            if (v instanceof GenericArrayData) {
                out.add(elements(v));
            } else if (v instanceof StringData) {
                out.add(v.toString());
            } else {
                out.add(v);
            }
        }
        return out;
    }

    @Test
    void intArraysWithNullsEmptyAndExtremes() {
        ValueConverter c = array(PgBuiltinType.INT4, DataTypes.ARRAY(DataTypes.INT()));
        assertThat(elements(text(c, "{1,2,NULL,-2147483648,2147483647}")))
                .containsExactly(1, 2, null, Integer.MIN_VALUE, Integer.MAX_VALUE);
        assertThat(elements(text(c, "{}"))).isEmpty();
        assertThat(elements(text(c, "{ 1 , null ,3 }"))).containsExactly(1, null, 3);
        assertThat(elements(binary(c, Bin.array(23, Bin.int4(1), null, Bin.int4(-3)))))
                .containsExactly(1, null, -3);
        assertThat(elements(binary(c, Bin.array(23)))).isEmpty();
        // No NULLs: a primitive array, no boxing.
        Object primitive = binary(c, Bin.array(23, Bin.int4(7), Bin.int4(8)));
        assertThat(((GenericArrayData) primitive).isPrimitiveArray()).isTrue();
        assertThat(((GenericArrayData) primitive).toIntArray()).containsExactly(7, 8);
    }

    @Test
    void primitiveFastPathsForEveryFixedWidthType() {
        assertThat(
                        ((GenericArrayData)
                                        binary(
                                                array(
                                                        PgBuiltinType.INT2,
                                                        DataTypes.ARRAY(DataTypes.SMALLINT())),
                                                Bin.array(21, Bin.int2(-1))))
                                .toShortArray())
                .containsExactly((short) -1);
        assertThat(
                        ((GenericArrayData)
                                        binary(
                                                array(
                                                        PgBuiltinType.INT8,
                                                        DataTypes.ARRAY(DataTypes.BIGINT())),
                                                Bin.array(20, Bin.int8(Long.MIN_VALUE))))
                                .toLongArray())
                .containsExactly(Long.MIN_VALUE);
        assertThat(
                        ((GenericArrayData)
                                        binary(
                                                array(
                                                        PgBuiltinType.FLOAT4,
                                                        DataTypes.ARRAY(DataTypes.FLOAT())),
                                                Bin.array(700, Bin.float4(1.5f))))
                                .toFloatArray())
                .containsExactly(1.5f);
        assertThat(
                        ((GenericArrayData)
                                        binary(
                                                array(
                                                        PgBuiltinType.FLOAT8,
                                                        DataTypes.ARRAY(DataTypes.DOUBLE())),
                                                Bin.array(701, Bin.float8(Double.NaN))))
                                .toDoubleArray())
                .containsExactly(Double.NaN);
        assertThat(
                        ((GenericArrayData)
                                        binary(
                                                array(
                                                        PgBuiltinType.BOOL,
                                                        DataTypes.ARRAY(DataTypes.BOOLEAN())),
                                                Bin.array(16, new byte[] {1}, new byte[] {0})))
                                .toBooleanArray())
                .containsExactly(true, false);
        // Widening (int2 elements as INT) takes the general path.
        assertThat(
                        elements(
                                binary(
                                        array(PgBuiltinType.INT2, DataTypes.ARRAY(DataTypes.INT())),
                                        Bin.array(21, Bin.int2(3)))))
                .containsExactly(3);
    }

    @Test
    void textArraysWithQuotingEscapesUnicodeAndNullWord() {
        ValueConverter c = array(PgBuiltinType.TEXT, DataTypes.ARRAY(DataTypes.STRING()));
        assertThat(
                        elements(
                                text(
                                        c,
                                        "{a,\"b"
                                            + " c\",NULL,\"NULL\",\"\",\"q\\\"x\",\"back\\\\slash\",\"{}\",😀,\"a,b\"}")))
                .containsExactly(
                        "a", "b c", null, "NULL", "", "q\"x", "back\\slash", "{}", "😀", "a,b");
        assertThat(elements(text(c, "{null,NuLl}"))).containsExactly(null, null);
        assertThat(
                        elements(
                                binary(
                                        c,
                                        Bin.array(
                                                25,
                                                Bin.text("a,b"),
                                                null,
                                                Bin.text(""),
                                                Bin.text("ü")))))
                .containsExactly("a,b", null, "", "ü");
        assertThat(elements(binary(c, Bin.array(25, Bin.text("x"))))).containsExactly("x");
    }

    @Test
    void nestedArraysMatchTheDeclaredDepth() {
        ValueConverter twoD =
                array(PgBuiltinType.INT4, DataTypes.ARRAY(DataTypes.ARRAY(DataTypes.INT())));
        assertThat(elements(text(twoD, "{{1,2},{3,NULL}}")))
                .containsExactly(Arrays.asList(1, 2), Arrays.asList(3, null));
        assertThat(elements(text(twoD, "[0:1][1:2]={{1,2},{3,4}}")))
                .containsExactly(List.of(1, 2), List.of(3, 4));
        byte[] binary =
                Bin.array(
                        23,
                        new int[] {2, 3},
                        new int[] {1, 1},
                        Bin.int4(1),
                        Bin.int4(2),
                        Bin.int4(3),
                        Bin.int4(4),
                        Bin.int4(5),
                        null);
        assertThat(elements(binary(twoD, binary)))
                .containsExactly(List.of(1, 2, 3), Arrays.asList(4, 5, null));
        ValueConverter threeD =
                array(
                        PgBuiltinType.TEXT,
                        DataTypes.ARRAY(DataTypes.ARRAY(DataTypes.ARRAY(DataTypes.STRING()))));
        assertThat(elements(text(threeD, "{{{a,b}},{{c,\"d e\"}}}")))
                .containsExactly(List.of(List.of("a", "b")), List.of(List.of("c", "d e")));
        assertThat(elements(text(twoD, "{}"))).isEmpty();

        ValueConverter oneD = array(PgBuiltinType.INT4, DataTypes.ARRAY(DataTypes.INT()));
        assertThatThrownBy(() -> text(oneD, "{{1,2},{3,4}}"))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("2 dimension(s)")
                .hasMessageContaining("nested 1 level(s)");
        assertThatThrownBy(() -> binary(oneD, binary))
                .isInstanceOf(PgValueConversionException.class);
        assertThatThrownBy(() -> text(twoD, "{1,2}"))
                .isInstanceOf(PgValueConversionException.class);
    }

    @Test
    void multiDimensionalArraysCanBeRejected() {
        Converters strict =
                new Converters()
                        .with(
                                ConversionPolicies.defaults()
                                        .withMultiDimensionalArrays(MultiDimensionalArrays.FAIL));
        ValueConverter c =
                strict.of(
                        PgBuiltinType.INT4.arrayOid(),
                        -1,
                        DataTypes.ARRAY(DataTypes.ARRAY(DataTypes.INT())));
        assertThatThrownBy(() -> text(c, "{{1,2},{3,4}}"))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("types.array.multi-dimensional");
        ValueConverter oneD =
                strict.of(PgBuiltinType.INT4.arrayOid(), -1, DataTypes.ARRAY(DataTypes.INT()));
        assertThat(elements(text(oneD, "{1}"))).containsExactly(1);
    }

    @Test
    void malformedArraysAreTypedErrors() {
        ValueConverter c = array(PgBuiltinType.INT4, DataTypes.ARRAY(DataTypes.INT()));
        for (String bad :
                new String[] {
                    "", "{1,2", "{1,,2}", "{{1},{2,3}}", "{1}x", "1,2", "{\"1}", "{{1},2}"
                }) {
            assertThatThrownBy(() -> text(c, bad))
                    .as(bad)
                    .isInstanceOf(PgValueConversionException.class);
        }
        assertThatThrownBy(() -> binary(c, Bin.array(25, Bin.text("1"))))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("OID 25");
        assertThatThrownBy(
                        () ->
                                binary(
                                        c,
                                        Bin.of()
                                                .i32(1)
                                                .i32(0)
                                                .i32(23)
                                                .i32(2)
                                                .i32(1)
                                                .value(Bin.int4(1))
                                                .build()))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> binary(c, Bin.of().i32(7).i32(0).i32(23).build()))
                .isInstanceOf(PgValueConversionException.class);
    }

    @Test
    void elementsOfEveryFamily() {
        assertThat(
                        elements(
                                text(
                                        array(
                                                PgBuiltinType.NUMERIC,
                                                DataTypes.ARRAY(DataTypes.DECIMAL(5, 2))),
                                        "{1.5,NULL,-0.25}")))
                .containsExactly(dec("1.50"), null, dec("-0.25"));
        assertThat(
                        elements(
                                binary(
                                        array(
                                                PgBuiltinType.NUMERIC,
                                                DataTypes.ARRAY(DataTypes.DECIMAL(5, 2))),
                                        Bin.array(1700, Bin.numeric(new BigDecimal("1.5"))))))
                .containsExactly(dec("1.50"));
        assertThat(
                        elements(
                                text(
                                        array(
                                                PgBuiltinType.TIMESTAMP,
                                                DataTypes.ARRAY(DataTypes.TIMESTAMP(6))),
                                        "{\"2024-02-29 12:00:00\",NULL}")))
                .containsExactly(
                        TimestampData.fromLocalDateTime(LocalDateTime.of(2024, 2, 29, 12, 0)),
                        null);
        assertThat(
                        elements(
                                text(
                                        array(
                                                PgBuiltinType.DATE,
                                                DataTypes.ARRAY(DataTypes.DATE())),
                                        "{2024-02-29}")))
                .containsExactly((int) java.time.LocalDate.of(2024, 2, 29).toEpochDay());
        Object bytea =
                elements(
                                text(
                                        array(
                                                PgBuiltinType.BYTEA,
                                                DataTypes.ARRAY(DataTypes.BYTES())),
                                        "{\"\\\\x0102\",NULL}"))
                        .get(0);
        assertThat((byte[]) bytea).containsExactly(1, 2);
        assertThat(
                        elements(
                                text(
                                        array(
                                                PgBuiltinType.INTERVAL,
                                                DataTypes.ARRAY(DataTypes.STRING())),
                                        "{\"1 day\",\"-00:00:01\"}")))
                .containsExactly("P1D", "PT-1S");
        assertThat(
                        elements(
                                text(
                                        array(
                                                PgBuiltinType.BOX,
                                                DataTypes.ARRAY(DataTypes.STRING())),
                                        "{(1,1),(0,0);(2,2),(1,1)}")))
                .containsExactly("(1,1),(0,0)", "(2,2),(1,1)");
        assertThat(
                        elements(
                                text(
                                        array(
                                                PgBuiltinType.BOOL,
                                                DataTypes.ARRAY(DataTypes.BOOLEAN())),
                                        "{t,f,NULL}")))
                .containsExactly(true, false, null);
        assertThat(
                        elements(
                                text(
                                        array(
                                                PgBuiltinType.JSONB,
                                                DataTypes.ARRAY(DataTypes.STRING())),
                                        "{\"{\\\"a\\\": 1}\"}")))
                .containsExactly("{\"a\": 1}");
        assertThat(
                        elements(
                                binary(
                                        array(
                                                PgBuiltinType.JSONB,
                                                DataTypes.ARRAY(DataTypes.STRING())),
                                        Bin.array(3802, Bin.of().i8(1).utf8("[]").build()))))
                .containsExactly("[]");
        assertThat(
                        elements(
                                text(
                                        array(
                                                PgBuiltinType.UUID,
                                                DataTypes.ARRAY(DataTypes.STRING())),
                                        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}")))
                .containsExactly("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    }

    private static DecimalData dec(String v) {
        return DecimalData.fromBigDecimal(new BigDecimal(v), 5, 2);
    }
}
