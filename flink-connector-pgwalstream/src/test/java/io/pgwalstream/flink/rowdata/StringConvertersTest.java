package io.pgwalstream.flink.rowdata;

import io.pgwalstream.protocol.TypeMessage;
import io.pgwalstream.testing.values.Bin;
import io.pgwalstream.types.PgBuiltinType;
import io.pgwalstream.types.PgTypeRegistry;
import io.pgwalstream.types.PgUserType;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.binary.BinaryStringData;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.pgwalstream.flink.rowdata.Converters.binary;
import static io.pgwalstream.flink.rowdata.Converters.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Types that map to STRING: text forms pass through, binary forms are rendered as text. */
class StringConvertersTest {

    private final Converters converters = new Converters();

    private ValueConverter string(PgBuiltinType type) {
        return converters.of(type, DataTypes.STRING());
    }

    private static String str(Object o) {
        return ((StringData) o).toString();
    }

    @Test
    void textPassesThroughUnicodeAndEmptyStrings() {
        for (PgBuiltinType t :
                new PgBuiltinType[] {
                    PgBuiltinType.TEXT,
                    PgBuiltinType.VARCHAR,
                    PgBuiltinType.BPCHAR,
                    PgBuiltinType.NAME,
                    PgBuiltinType.JSON,
                    PgBuiltinType.XML
                }) {
            ValueConverter c = string(t);
            for (String v :
                    new String[] {
                        "", "plain", "grüße ✓", "emoji 😀👍🏽", "日本語", "tab\tnew\nline"
                    }) {
                assertThat(str(text(c, v))).isEqualTo(v);
                assertThat(str(binary(c, Bin.text(v)))).isEqualTo(v);
            }
        }
    }

    @Test
    void textSharesTheMessageBufferUnlessToldToCopy() {
        byte[] message = "xxhello, worldyy".getBytes(StandardCharsets.UTF_8);
        Object shared = string(PgBuiltinType.TEXT).fromText(message, 2, 12);
        assertThat(((BinaryStringData) shared).getSegments()[0].getHeapMemory()).isSameAs(message);

        ValueConverter copying =
                new Converters()
                        .with(ConversionPolicies.defaults().withShareMessageBuffer(false))
                        .of(PgBuiltinType.TEXT, DataTypes.STRING());
        Object copied = copying.fromText(message, 2, 12);
        message[2] = 'j';
        assertThat(copied.toString()).isEqualTo("hello, world");
        assertThat(shared.toString()).isEqualTo("jello, world");
    }

    @Test
    void jsonbAndJsonpathSkipTheVersionByte() {
        for (PgBuiltinType t : new PgBuiltinType[] {PgBuiltinType.JSONB, PgBuiltinType.JSONPATH}) {
            ValueConverter c = string(t);
            assertThat(str(text(c, "{\"a\": 1}"))).isEqualTo("{\"a\": 1}");
            assertThat(str(binary(c, Bin.of().i8(1).utf8("{\"a\": \"ü\"}").build())))
                    .isEqualTo("{\"a\": \"ü\"}");
            assertThatThrownBy(() -> binary(c, Bin.of().i8(2).utf8("{}").build()))
                    .isInstanceOf(PgValueConversionException.class)
                    .hasMessageContaining("version");
        }
    }

    @Test
    void uuid() {
        ValueConverter c = string(PgBuiltinType.UUID);
        String u = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
        assertThat(str(text(c, u))).isEqualTo(u);
        byte[] raw = new byte[16];
        java.util.UUID uuid = java.util.UUID.fromString(u);
        byte[] msb = Bin.int8(uuid.getMostSignificantBits());
        byte[] lsb = Bin.int8(uuid.getLeastSignificantBits());
        System.arraycopy(msb, 0, raw, 0, 8);
        System.arraycopy(lsb, 0, raw, 8, 8);
        assertThat(str(binary(c, raw))).isEqualTo(u);
        assertThatThrownBy(() -> binary(c, new byte[15]))
                .isInstanceOf(PgValueConversionException.class);
    }

    @Test
    void intervalAsIso8601FromEveryIntervalStyleAndBinary() {
        ValueConverter c = string(PgBuiltinType.INTERVAL);
        // postgres
        assertThat(str(text(c, "1 year 2 mons -3 days +04:05:06.5")))
                .isEqualTo("P1Y2M-3DT4H5M6.5S");
        assertThat(str(text(c, "-1 years -2 mons"))).isEqualTo("P-1Y-2M");
        assertThat(str(text(c, "-00:00:01.5"))).isEqualTo("PT-1.5S");
        assertThat(str(text(c, "3 days -01:00:00"))).isEqualTo("P3DT-1H");
        assertThat(str(text(c, "00:00:00"))).isEqualTo("PT0S");
        assertThat(str(text(c, "1 day"))).isEqualTo("P1D");
        assertThat(str(text(c, "123:00:00.000001"))).isEqualTo("PT123H0.000001S");
        // iso_8601
        assertThat(str(text(c, "P1Y2M-3DT4H5M6.5S"))).isEqualTo("P1Y2M-3DT4H5M6.5S");
        assertThat(str(text(c, "PT0S"))).isEqualTo("PT0S");
        // postgres_verbose
        assertThat(str(text(c, "@ 1 year 2 mons -3 days 4 hours 5 mins 6.5 secs")))
                .isEqualTo("P1Y2M-3DT4H5M6.5S");
        assertThat(str(text(c, "@ 1 year 2 mons ago"))).isEqualTo("P-1Y-2M");
        assertThat(str(text(c, "@ 0"))).isEqualTo("PT0S");
        assertThat(str(text(c, "@ 1 day 0.000001 secs ago"))).isEqualTo("P-1DT-0.000001S");
        assertThat(str(text(c, "-1 0:00:00.000001"))).isEqualTo("P-1DT-0.000001S");
        // sql_standard
        assertThat(str(text(c, "1-2"))).isEqualTo("P1Y2M");
        assertThat(str(text(c, "-1-2"))).isEqualTo("P-1Y-2M");
        assertThat(str(text(c, "3 4:05:06.5"))).isEqualTo("P3DT4H5M6.5S");
        assertThat(str(text(c, "-3 4:05:06"))).isEqualTo("P-3DT-4H-5M-6S");
        assertThat(str(text(c, "+1-2 -3 +4:05:06.5"))).isEqualTo("P1Y2M-3DT4H5M6.5S");
        assertThat(str(text(c, "0"))).isEqualTo("PT0S");
        // PostgreSQL 17 infinite intervals
        assertThat(str(text(c, "infinity"))).isEqualTo("infinity");
        assertThat(str(text(c, "-infinity"))).isEqualTo("-infinity");
        // binary: Int64 micros, Int32 days, Int32 months
        assertThat(str(binary(c, Bin.of().i64(14_706_500_000L).i32(-3).i32(14).build())))
                .isEqualTo("P1Y2M-3DT4H5M6.5S");
        assertThat(str(binary(c, Bin.of().i64(0).i32(0).i32(0).build()))).isEqualTo("PT0S");
        assertThat(str(binary(c, Bin.of().i64(-1_500_000).i32(0).i32(0).build())))
                .isEqualTo("PT-1.5S");
        assertThat(
                        str(
                                binary(
                                        c,
                                        Bin.of()
                                                .i64(Long.MAX_VALUE)
                                                .i32(Integer.MAX_VALUE)
                                                .i32(Integer.MAX_VALUE)
                                                .build())))
                .isEqualTo("infinity");
        assertThatThrownBy(() -> text(c, "1 fortnight"))
                .isInstanceOf(PgValueConversionException.class);
    }

    @Test
    void networkTypesFromBinary() {
        ValueConverter inet = string(PgBuiltinType.INET);
        ValueConverter cidr = string(PgBuiltinType.CIDR);
        assertThat(
                        str(
                                binary(
                                        inet,
                                        Bin.of()
                                                .i8(2)
                                                .i8(32)
                                                .i8(0)
                                                .i8(4)
                                                .i8(192)
                                                .i8(168)
                                                .i8(0)
                                                .i8(1)
                                                .build())))
                .isEqualTo("192.168.0.1");
        assertThat(
                        str(
                                binary(
                                        inet,
                                        Bin.of()
                                                .i8(2)
                                                .i8(16)
                                                .i8(0)
                                                .i8(4)
                                                .i8(10)
                                                .i8(1)
                                                .i8(2)
                                                .i8(3)
                                                .build())))
                .isEqualTo("10.1.2.3/16");
        assertThat(
                        str(
                                binary(
                                        cidr,
                                        Bin.of()
                                                .i8(2)
                                                .i8(32)
                                                .i8(1)
                                                .i8(4)
                                                .i8(10)
                                                .i8(1)
                                                .i8(2)
                                                .i8(3)
                                                .build())))
                .isEqualTo("10.1.2.3/32");
        assertThat(str(binary(inet, ipv6(128, "00000000000000000000000000000001"))))
                .isEqualTo("::1");
        assertThat(str(binary(inet, ipv6(128, "00000000000000000000ffff01020304"))))
                .isEqualTo("::ffff:1.2.3.4");
        assertThat(str(binary(inet, ipv6(64, "20010db8000000000000000000000001"))))
                .isEqualTo("2001:db8::1/64");
        assertThat(str(binary(inet, ipv6(128, "20010db8000000010000000000000000"))))
                .isEqualTo("2001:db8:0:1::");
        assertThat(str(binary(inet, ipv6(128, "00000000000000000000000000000000"))))
                .isEqualTo("::");
        assertThat(str(binary(inet, ipv6(128, "00010000000100000000000100000001"))))
                .isEqualTo("1:0:1::1:0:1");
        assertThat(str(text(inet, "::ffff:1.2.3.4"))).isEqualTo("::ffff:1.2.3.4");
        ValueConverter mac = string(PgBuiltinType.MACADDR);
        assertThat(str(binary(mac, new byte[] {8, 0, 0x2b, 1, 2, 3})))
                .isEqualTo("08:00:2b:01:02:03");
        ValueConverter mac8 = string(PgBuiltinType.MACADDR8);
        assertThat(str(binary(mac8, new byte[] {8, 0, 0x2b, 1, 2, 3, 4, (byte) 0xff})))
                .isEqualTo("08:00:2b:01:02:03:04:ff");
    }

    private static byte[] ipv6(int bits, String hex) {
        Bin b = Bin.of().i8(3).i8(bits).i8(0).i8(16);
        for (int i = 0; i < 32; i += 2) {
            b.i8(Integer.parseInt(hex.substring(i, i + 2), 16));
        }
        return b.build();
    }

    @Test
    void bitStringsAsZerosAndOnes() {
        ValueConverter c = string(PgBuiltinType.VARBIT);
        assertThat(str(text(c, "0101"))).isEqualTo("0101");
        assertThat(str(binary(c, Bin.of().i32(10).i8(0b1010_0000).i8(0b1100_0000).build())))
                .isEqualTo("1010000011");
        assertThat(str(binary(c, Bin.of().i32(0).build()))).isEqualTo("");
        assertThatThrownBy(() -> binary(c, Bin.of().i32(9).i8(1).build()))
                .isInstanceOf(PgValueConversionException.class);
    }

    @Test
    void geometricTypesFromBinary() {
        assertThat(str(binary(string(PgBuiltinType.POINT), Bin.of().f8(1.5).f8(-2).build())))
                .isEqualTo("(1.5,-2)");
        assertThat(
                        str(
                                binary(
                                        string(PgBuiltinType.LSEG),
                                        Bin.of().f8(0).f8(0).f8(1).f8(1).build())))
                .isEqualTo("[(0,0),(1,1)]");
        assertThat(str(binary(string(PgBuiltinType.BOX), Bin.of().f8(1).f8(1).f8(0).f8(0).build())))
                .isEqualTo("(1,1),(0,0)");
        assertThat(
                        str(
                                binary(
                                        string(PgBuiltinType.PATH),
                                        Bin.of()
                                                .i8(1)
                                                .i32(3)
                                                .f8(0)
                                                .f8(0)
                                                .f8(1)
                                                .f8(1)
                                                .f8(2)
                                                .f8(0)
                                                .build())))
                .isEqualTo("((0,0),(1,1),(2,0))");
        assertThat(
                        str(
                                binary(
                                        string(PgBuiltinType.PATH),
                                        Bin.of()
                                                .i8(0)
                                                .i32(2)
                                                .f8(0)
                                                .f8(0)
                                                .f8(1e20)
                                                .f8(1e-5)
                                                .build())))
                .isEqualTo("[(0,0),(1e+20,1e-05)]");
        assertThat(
                        str(
                                binary(
                                        string(PgBuiltinType.POLYGON),
                                        Bin.of()
                                                .i32(3)
                                                .f8(0)
                                                .f8(0)
                                                .f8(1)
                                                .f8(1)
                                                .f8(2)
                                                .f8(0)
                                                .build())))
                .isEqualTo("((0,0),(1,1),(2,0))");
        assertThat(str(binary(string(PgBuiltinType.CIRCLE), Bin.of().f8(1).f8(2).f8(3).build())))
                .isEqualTo("<(1,2),3>");
        assertThat(str(binary(string(PgBuiltinType.LINE), Bin.of().f8(1).f8(-1).f8(0).build())))
                .isEqualTo("{1,-1,0}");
        assertThat(
                        str(
                                binary(
                                        string(PgBuiltinType.POINT),
                                        Bin.of().f8(Double.NaN).f8(-0.0).build())))
                .isEqualTo("(NaN,-0)");
    }

    @Test
    void textSearchAndSystemTypesFromBinary() {
        byte[] tsvector =
                Bin.of()
                        .i32(3)
                        .utf8("a")
                        .i8(0)
                        .i16(1)
                        .i16(0xC001)
                        .utf8("fat")
                        .i8(0)
                        .i16(2)
                        .i16(0x8002)
                        .i16(0x4004)
                        .utf8("rat's")
                        .i8(0)
                        .i16(0)
                        .build();
        assertThat(str(binary(string(PgBuiltinType.TSVECTOR), tsvector)))
                .isEqualTo("'a':1A 'fat':2B,4C 'rat''s'");
        assertThat(str(binary(string(PgBuiltinType.PG_LSN), Bin.int8(0x16_B374_D848L))))
                .isEqualTo("16/B374D848");
        assertThat(str(binary(string(PgBuiltinType.TID), Bin.of().i32(1).i16(2).build())))
                .isEqualTo("(1,2)");
        assertThat(
                        str(
                                binary(
                                        string(PgBuiltinType.PG_SNAPSHOT),
                                        Bin.of().i32(2).i64(10).i64(20).i64(11).i64(12).build())))
                .isEqualTo("10:20:11,12");
        assertThat(str(binary(string(PgBuiltinType.REGCLASS), Bin.int4(1259)))).isEqualTo("1259");
        assertThat(
                        str(
                                binary(
                                        string(PgBuiltinType.INT2VECTOR),
                                        Bin.array(21, Bin.int2(1), Bin.int2(3)))))
                .isEqualTo("1 3");
        assertThat(str(binary(string(PgBuiltinType.CHAR), new byte[] {'x'}))).isEqualTo("x");
        assertThat(str(binary(string(PgBuiltinType.CHAR), new byte[] {(byte) 200})))
                .isEqualTo("\\310");
        assertThatThrownBy(() -> binary(string(PgBuiltinType.TSQUERY), new byte[] {0, 0, 0, 0}))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("binary=false");
    }

    @Test
    void numbersDatesAndMoneyAsStringFromBinary() {
        assertThat(str(binary(string(PgBuiltinType.INT4), Bin.int4(-42)))).isEqualTo("-42");
        assertThat(str(binary(string(PgBuiltinType.BOOL), new byte[] {1}))).isEqualTo("t");
        assertThat(str(binary(string(PgBuiltinType.FLOAT8), Bin.float8(0.1 + 0.2))))
                .isEqualTo("0.30000000000000004");
        assertThat(str(binary(string(PgBuiltinType.FLOAT8), Bin.float8(1234567890123456.0))))
                .isEqualTo("1.234567890123456e+15");
        assertThat(str(binary(string(PgBuiltinType.FLOAT8), Bin.float8(123456789012345.0))))
                .isEqualTo("123456789012345");
        assertThat(str(binary(string(PgBuiltinType.FLOAT4), Bin.float4(1234567f))))
                .isEqualTo("1.234567e+06");
        assertThat(str(binary(string(PgBuiltinType.FLOAT4), Bin.float4(123456f))))
                .isEqualTo("123456");
        assertThat(str(binary(string(PgBuiltinType.FLOAT4), Bin.float4(0.00001f))))
                .isEqualTo("1e-05");
        assertThat(str(binary(string(PgBuiltinType.MONEY), Bin.int8(-123456))))
                .isEqualTo("-$1,234.56");
        assertThat(str(binary(string(PgBuiltinType.MONEY), Bin.int8(Long.MAX_VALUE))))
                .isEqualTo("$92,233,720,368,547,758.07");
        assertThat(str(binary(string(PgBuiltinType.MONEY), Bin.int8(5)))).isEqualTo("$0.05");
        assertThat(str(binary(string(PgBuiltinType.DATE), Bin.int4(-730_119))))
                .isEqualTo("0001-01-01");
        assertThat(str(binary(string(PgBuiltinType.DATE), Bin.int4(-730_120))))
                .isEqualTo("0001-12-31 BC");
        assertThat(str(binary(string(PgBuiltinType.TIMESTAMPTZ), Bin.int8(0))))
                .isEqualTo("2000-01-01 00:00:00+00");
        assertThat(str(binary(string(PgBuiltinType.TIMESTAMP), Bin.int8(1_500_000))))
                .isEqualTo("2000-01-01 00:00:01.5");
        assertThat(str(binary(string(PgBuiltinType.TIMESTAMP), Bin.int8(Long.MAX_VALUE))))
                .isEqualTo("infinity");
        assertThat(str(binary(string(PgBuiltinType.TIME), Bin.int8(86_400_000_000L))))
                .isEqualTo("24:00:00");
        assertThat(str(binary(string(PgBuiltinType.BYTEA), new byte[] {0, (byte) 0xab})))
                .isEqualTo("\\x00ab");
        assertThat(str(binary(string(PgBuiltinType.XID8), Bin.int8(-1))))
                .isEqualTo("18446744073709551615");
    }

    @Test
    void timetzKeepsItsOffset() {
        ValueConverter c = string(PgBuiltinType.TIMETZ);
        assertThat(str(text(c, "12:34:56.789+05:30"))).isEqualTo("12:34:56.789+05:30");
        // Binary zone is seconds WEST of UTC.
        assertThat(str(binary(c, Bin.of().i64(45_296_789_000L).i32(-19_800).build())))
                .isEqualTo("12:34:56.789+05:30");
        assertThat(str(binary(c, Bin.of().i64(43_200_000_000L).i32(15).build())))
                .isEqualTo("12:00:00-00:00:15");
        assertThat(str(binary(c, Bin.of().i64(0).i32(0).build()))).isEqualTo("00:00:00+00");
    }

    @Test
    void rangesAndMultirangesFromBinary() {
        ValueConverter int4range = string(PgBuiltinType.INT4RANGE);
        assertThat(
                        str(
                                binary(
                                        int4range,
                                        Bin.of()
                                                .i8(0x02)
                                                .value(Bin.int4(1))
                                                .value(Bin.int4(10))
                                                .build())))
                .isEqualTo("[1,10)");
        assertThat(str(binary(int4range, Bin.of().i8(0x01).build()))).isEqualTo("empty");
        assertThat(str(binary(int4range, Bin.of().i8(0x08 | 0x04).value(Bin.int4(5)).build())))
                .isEqualTo("(,5]");
        assertThat(str(binary(int4range, Bin.of().i8(0x08 | 0x10).build()))).isEqualTo("(,)");
        ValueConverter tsrange = string(PgBuiltinType.TSRANGE);
        assertThat(str(binary(tsrange, Bin.of().i8(0x02 | 0x10).value(Bin.int8(0)).build())))
                .isEqualTo("[\"2000-01-01 00:00:00\",)");
        ValueConverter multi = string(PgBuiltinType.INT4MULTIRANGE);
        byte[] r1 = Bin.of().i8(0x02).value(Bin.int4(1)).value(Bin.int4(3)).build();
        byte[] r2 = Bin.of().i8(0x02).value(Bin.int4(5)).value(Bin.int4(7)).build();
        assertThat(str(binary(multi, Bin.of().i32(2).value(r1).value(r2).build())))
                .isEqualTo("{[1,3),[5,7)}");
        assertThat(str(binary(multi, Bin.of().i32(0).build()))).isEqualTo("{}");
        assertThat(str(text(multi, "{[1,3),[5,7)}"))).isEqualTo("{[1,3),[5,7)}");
    }

    @Test
    void arraysAsStringFromBinary() {
        ValueConverter c = converters.of(PgBuiltinType.TEXT.arrayOid(), -1, DataTypes.STRING());
        byte[] arr =
                Bin.array(
                        25,
                        Bin.text("a b"),
                        null,
                        Bin.text(""),
                        Bin.text("NULL"),
                        Bin.text("q\"\\"),
                        Bin.text("x"));
        assertThat(str(binary(c, arr))).isEqualTo("{\"a b\",NULL,\"\",\"NULL\",\"q\\\"\\\\\",x}");
        byte[] nested =
                Bin.array(
                        23,
                        new int[] {2, 2},
                        new int[] {0, 1},
                        Bin.int4(1),
                        Bin.int4(2),
                        Bin.int4(3),
                        Bin.int4(4));
        assertThat(
                        str(
                                binary(
                                        converters.of(
                                                PgBuiltinType.INT4.arrayOid(),
                                                -1,
                                                DataTypes.STRING()),
                                        nested)))
                .isEqualTo("[0:1][1:2]={{1,2},{3,4}}");
        byte[] boxes =
                Bin.array(
                        603,
                        Bin.of().f8(1).f8(1).f8(0).f8(0).build(),
                        Bin.of().f8(2).f8(2).f8(1).f8(1).build());
        assertThat(
                        str(
                                binary(
                                        converters.of(
                                                PgBuiltinType.BOX.arrayOid(),
                                                -1,
                                                DataTypes.STRING()),
                                        boxes)))
                .isEqualTo("{(1,1),(0,0);(2,2),(1,1)}");
    }

    @Test
    void userTypesKnownByNameOrCatalog() {
        PgTypeRegistry registry = converters.registry;
        registry.register(new TypeMessage(-1, 20_001, "public", "hstore"));
        registry.register(new TypeMessage(-1, 20_002, "public", "mood"));
        registry.register(new TypeMessage(-1, 20_003, "public", "pair"));
        registry.register(new TypeMessage(-1, 20_004, "public", "_mood"));
        byte[] hstore =
                Bin.of()
                        .i32(3)
                        .value(Bin.text("a"))
                        .value(Bin.text("1"))
                        .value(Bin.text("b"))
                        .value(null)
                        .value(Bin.text("c d"))
                        .value(Bin.text("x\"y"))
                        .build();
        assertThat(str(binary(converters.of(20_001, -1, DataTypes.STRING()), hstore)))
                .isEqualTo("\"a\"=>\"1\", \"b\"=>NULL, \"c d\"=>\"x\\\"y\"");
        // Without catalog facts an enum or composite converts from text only.
        ValueConverter mood = converters.of(20_002, -1, DataTypes.STRING());
        assertThat(str(text(mood, "happy"))).isEqualTo("happy");
        assertThatThrownBy(() -> binary(mood, Bin.text("happy")))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("public.mood")
                .hasMessageContaining("PgUserType");
        // With them, binary works too.
        registry.register(new PgUserType(20_002, "public", "mood", 'e', 'E', 0, -1, 0, 0, 0));
        registry.register(new PgUserType(20_003, "public", "pair", 'c', 'C', 0, -1, 0, 0, 0));
        assertThat(str(binary(converters.of(20_002, -1, DataTypes.STRING()), Bin.text("happy"))))
                .isEqualTo("happy");
        byte[] record =
                Bin.of()
                        .i32(4)
                        .i32(23)
                        .value(Bin.int4(1))
                        .i32(25)
                        .value(Bin.text("a b"))
                        .i32(25)
                        .value(null)
                        .i32(25)
                        .value(Bin.text(""))
                        .build();
        assertThat(str(binary(converters.of(20_003, -1, DataTypes.STRING()), record)))
                .isEqualTo("(1,\"a b\",,\"\")");
        byte[] nestedRecord =
                Bin.of()
                        .i32(2)
                        .i32(20_002)
                        .value(Bin.text("sad"))
                        .i32(20_003)
                        .value(Bin.of().i32(1).i32(25).value(Bin.text("x,y")).build())
                        .build();
        assertThat(str(binary(converters.of(20_003, -1, DataTypes.STRING()), nestedRecord)))
                .isEqualTo("(sad,\"(\"\"x,y\"\")\")");
        byte[] unknownField = Bin.of().i32(1).i32(99_999).value(Bin.text("?")).build();
        assertThatThrownBy(
                        () -> binary(converters.of(20_003, -1, DataTypes.STRING()), unknownField))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("99999");
    }
}
