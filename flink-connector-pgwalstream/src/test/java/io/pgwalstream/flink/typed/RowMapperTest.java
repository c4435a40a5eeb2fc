package io.pgwalstream.flink.typed;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.changes.ChangePosition;
import io.pgwalstream.changes.ChangeRow;
import io.pgwalstream.changes.RelationSchema;
import io.pgwalstream.changes.TransactionInfo;
import io.pgwalstream.protocol.OldTupleKind;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.protocol.TupleData;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static io.pgwalstream.protocol.TupleBuilder.texts;
import static io.pgwalstream.protocol.TupleBuilder.tuple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rows to records and POJOs by column name: naming, policies and the errors that name the fix. */
class RowMapperTest {

    private static final int INT8 = 20;
    private static final int INT4 = 23;
    private static final int TEXT = 25;
    private static final int NUMERIC = 1700;
    private static final int TIMESTAMPTZ = 1184;
    private static final int TEXT_ARRAY = 1009;

    /**
     * orders(order_id bigint key, customer text, total numeric, placed_at timestamptz, tags text[])
     */
    private static final RelationSchema ORDERS =
            RelationSchema.of(
                    new Relation(
                            0,
                            4242,
                            "shop",
                            "orders",
                            ReplicaIdentity.DEFAULT,
                            List.of(
                                    new RelationColumn(
                                            RelationColumn.FLAG_KEY, "order_id", INT8, -1),
                                    new RelationColumn(0, "customer", TEXT, -1),
                                    new RelationColumn(0, "total", NUMERIC, -1),
                                    new RelationColumn(0, "placed_at", TIMESTAMPTZ, -1),
                                    new RelationColumn(0, "tags", TEXT_ARRAY, -1))));

    private static final TupleData ROW =
            texts("7", "ada", "12.50", "2024-05-06 07:08:09+00", "{a,b}");

    record Order(
            long orderId, String customer, BigDecimal total, Instant placedAt, List<String> tags) {}

    /** A POJO with a public field and a private field behind a setter. */
    public static class OrderBean {
        public Long orderId;
        private String customer;

        public void setCustomer(String customer) {
            this.customer = customer;
        }

        public String getCustomer() {
            return customer;
        }
    }

    record Narrow(long orderId, int customer) {}

    record Slim(long orderId, String customer) {}

    record Unsupported(long orderId, Object customer) {}

    @Test
    void aRecordIsBuiltFromColumnsNamedInSnakeCase() {
        RowMapper<Order> mapper =
                RowMapper.builder(Order.class).naming(ColumnNaming.SNAKE_CASE).build();
        Order order = mapper.map(ChangeRow.of(ORDERS, ROW), false);
        assertThat(order)
                .isEqualTo(
                        new Order(
                                7L,
                                "ada",
                                new BigDecimal("12.50"),
                                Instant.parse("2024-05-06T07:08:09Z"),
                                List.of("a", "b")));
    }

    @Test
    void aPojoGetsPublicFieldsAndSetters() {
        RowMapper<OrderBean> mapper =
                RowMapper.builder(OrderBean.class).column("orderId", "order_id").build();
        OrderBean bean = mapper.map(ChangeRow.of(ORDERS, ROW), false);
        assertThat(bean.orderId).isEqualTo(7L);
        assertThat(bean.getCustomer()).isEqualTo("ada");
    }

    @Test
    void aKeyOnlyOldRowSetsOnlyTheKeyFields() {
        RowMapper<Order> mapper =
                RowMapper.builder(Order.class).naming(ColumnNaming.SNAKE_CASE).build();
        ChangeEvent delete =
                new ChangeEvent(
                        ChangeKind.DELETE,
                        new ChangePosition(1L, 0L, 0L),
                        TransactionInfo.snapshot(1L),
                        ORDERS,
                        OldTupleKind.KEY,
                        texts("7", null, null, null, null),
                        null,
                        List.of(),
                        0,
                        null);
        Order order = mapper.map(delete.beforeRow(), true);
        assertThat(order).isEqualTo(new Order(7L, null, null, null, null));
    }

    @Test
    void fieldsWithoutColumnsFailNamingTheColumnsUnlessTheyMayStayNull() {
        RowMapper<Order> exact = RowMapper.of(Order.class); // orderId, placedAt: no such columns
        assertThatThrownBy(() -> exact.map(ChangeRow.of(ORDERS, ROW), false))
                .isInstanceOf(TypedMappingException.class)
                .hasMessageContaining("orderId (column \"orderId\")")
                .hasMessageContaining("order_id")
                .hasMessageContaining("MissingColumns.NULL");

        RowMapper<Order> lenient =
                RowMapper.builder(Order.class)
                        .missingColumns(RowMapper.MissingColumns.NULL)
                        .build();
        Order order = lenient.map(ChangeRow.of(ORDERS, ROW), false);
        assertThat(order.orderId()).isZero();
        assertThat(order.customer()).isEqualTo("ada");
        assertThat(order.placedAt()).isNull();
    }

    @Test
    void extraColumnsFailOnlyWhenAskedTo() {
        RowMapper<Slim> ignoring =
                RowMapper.builder(Slim.class).naming(ColumnNaming.SNAKE_CASE).build();
        assertThat(ignoring.map(ChangeRow.of(ORDERS, ROW), false)).isEqualTo(new Slim(7L, "ada"));

        RowMapper<OrderBean> strict =
                RowMapper.builder(OrderBean.class)
                        .column("orderId", "order_id")
                        .extraColumns(RowMapper.ExtraColumns.FAIL)
                        .build();
        assertThatThrownBy(() -> strict.map(ChangeRow.of(ORDERS, ROW), false))
                .isInstanceOf(TypedMappingException.class)
                .hasMessageContaining("[total, placed_at, tags]");
    }

    @Test
    void nullIntoAPrimitiveFieldFailsNamingTheBoxedType() {
        RowMapper<Order> mapper =
                RowMapper.builder(Order.class).naming(ColumnNaming.SNAKE_CASE).build();
        TupleData nullKey = texts(null, "ada", "1", "2024-05-06 07:08:09+00", "{}");
        assertThatThrownBy(() -> mapper.map(ChangeRow.of(ORDERS, nullKey), false))
                .isInstanceOf(TypedMappingException.class)
                .hasMessageContaining("Order.orderId")
                .hasMessageContaining("boxed type");
    }

    @Test
    void anUnchangedToastedValueFailsNamingReplicaIdentityFullOrStaysNullByChoice() {
        TupleData update =
                tuple().text("7")
                        .unchangedToast()
                        .text("1")
                        .text("2024-05-06 07:08:09+00")
                        .text("{}")
                        .build();
        RowMapper<Order> failing =
                RowMapper.builder(Order.class).naming(ColumnNaming.SNAKE_CASE).build();
        assertThatThrownBy(() -> failing.map(ChangeRow.of(ORDERS, update), false))
                .isInstanceOf(TypedMappingException.class)
                .hasMessageContaining("REPLICA IDENTITY FULL");
        RowMapper<Order> nulling =
                RowMapper.builder(Order.class)
                        .naming(ColumnNaming.SNAKE_CASE)
                        .unchangedValues(RowMapper.UnchangedValues.NULL)
                        .build();
        assertThat(nulling.map(ChangeRow.of(ORDERS, update), false).customer()).isNull();
    }

    @Test
    void typesThatCannotReceiveRowsFailWhenTheMapperIsBuilt() {
        assertThatThrownBy(() -> RowMapper.of(Unsupported.class))
                .isInstanceOf(TypedMappingException.class)
                .hasMessageContaining("Unsupported.customer")
                .hasMessageContaining("supported:");
        assertThatThrownBy(() -> RowMapper.builder(Order.class).column("nope", "x").build())
                .isInstanceOf(TypedMappingException.class)
                .hasMessageContaining("no field nope");
    }

    @Test
    void aTypeMismatchNamesFieldColumnAndTable() {
        RowMapper<Narrow> mapper =
                RowMapper.builder(Narrow.class)
                        .naming(ColumnNaming.SNAKE_CASE)
                        .build(); // customer is text, the field int
        assertThatThrownBy(() -> mapper.map(ChangeRow.of(ORDERS, ROW), false))
                .isInstanceOf(TypedMappingException.class)
                .hasMessageContaining("Narrow.customer")
                .hasMessageContaining("\"customer\" of shop.orders");
    }

    /** Every Java type a field may have, boxed. */
    public record Boxed(
            String text,
            Long int8,
            Integer int4,
            Short int2,
            Boolean bool,
            Double float8,
            Float float4,
            BigDecimal numeric,
            byte[] bytea,
            Instant timestamptz,
            java.time.LocalDateTime timestamp,
            java.time.LocalDate date,
            java.time.LocalTime time,
            java.time.OffsetTime timetz,
            java.util.UUID uuid,
            List<Integer> int4s) {}

    /** The primitive fields. */
    public record Primitives(
            long int8, int int4, short int2, boolean bool, double float8, float float4) {}

    private static final RelationSchema EVERY_TYPE =
            RelationSchema.of(
                    new Relation(
                            0,
                            4343,
                            "public",
                            "every_type",
                            ReplicaIdentity.DEFAULT,
                            List.of(
                                    new RelationColumn(0, "text", TEXT, -1),
                                    new RelationColumn(RelationColumn.FLAG_KEY, "int8", INT8, -1),
                                    new RelationColumn(0, "int4", INT4, -1),
                                    new RelationColumn(0, "int2", 21, -1),
                                    new RelationColumn(0, "bool", 16, -1),
                                    new RelationColumn(0, "float8", 701, -1),
                                    new RelationColumn(0, "float4", 700, -1),
                                    new RelationColumn(0, "numeric", NUMERIC, -1),
                                    new RelationColumn(0, "bytea", 17, -1),
                                    new RelationColumn(0, "timestamptz", TIMESTAMPTZ, -1),
                                    new RelationColumn(0, "timestamp", 1114, -1),
                                    new RelationColumn(0, "date", 1082, -1),
                                    new RelationColumn(0, "time", 1083, -1),
                                    new RelationColumn(0, "timetz", 1266, -1),
                                    new RelationColumn(0, "uuid", 2950, -1),
                                    new RelationColumn(0, "int4s", 1007, -1))));

    @Test
    void everyFieldTypeReadsItsColumnAndNullsStayNull() {
        TupleData values =
                texts(
                        "zoë",
                        "1",
                        "2",
                        "3",
                        "t",
                        "1.5",
                        "2.5",
                        "3.25",
                        "\\x0102",
                        "2024-05-06 07:08:09.123456+00",
                        "2024-05-06 07:08:09",
                        "2024-05-06",
                        "07:08:09",
                        "07:08:09+02",
                        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                        "{1,NULL,3}");
        Boxed b = RowMapper.of(Boxed.class).map(ChangeRow.of(EVERY_TYPE, values), false);
        assertThat(b.text()).isEqualTo("zoë");
        assertThat(b.int8()).isEqualTo(1L);
        assertThat(b.int4()).isEqualTo(2);
        assertThat(b.int2()).isEqualTo((short) 3);
        assertThat(b.bool()).isTrue();
        assertThat(b.float8()).isEqualTo(1.5);
        assertThat(b.float4()).isEqualTo(2.5f);
        assertThat(b.numeric()).isEqualByComparingTo("3.25");
        assertThat(b.bytea()).containsExactly(1, 2);
        assertThat(b.timestamptz()).isEqualTo(Instant.parse("2024-05-06T07:08:09.123456Z"));
        assertThat(b.timestamp()).isEqualTo(java.time.LocalDateTime.parse("2024-05-06T07:08:09"));
        assertThat(b.date()).isEqualTo(java.time.LocalDate.parse("2024-05-06"));
        assertThat(b.time()).isEqualTo(java.time.LocalTime.parse("07:08:09"));
        assertThat(b.timetz()).isEqualTo(java.time.OffsetTime.parse("07:08:09+02:00"));
        assertThat(b.uuid())
                .isEqualTo(java.util.UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        assertThat(b.int4s()).containsExactly(1, null, 3);

        Primitives p =
                RowMapper.builder(Primitives.class)
                        .build()
                        .map(ChangeRow.of(EVERY_TYPE, values), false);
        assertThat(p).isEqualTo(new Primitives(1L, 2, (short) 3, true, 1.5, 2.5f));

        String[] nulls = new String[16];
        nulls[1] = "1";
        Boxed empty = RowMapper.of(Boxed.class).map(ChangeRow.of(EVERY_TYPE, texts(nulls)), false);
        assertThat(empty.text()).isNull();
        assertThat(empty.int4s()).isNull();
        assertThat(empty.uuid()).isNull();
    }

    @Test
    void namingStyles() {
        assertThat(ColumnNaming.SNAKE_CASE.column("placedAtUtc")).isEqualTo("placed_at_utc");
        assertThat(ColumnNaming.SNAKE_CASE.column("id")).isEqualTo("id");
        assertThat(ColumnNaming.LOWER_CASE.column("placedAt")).isEqualTo("placedat");
        assertThat(ColumnNaming.EXACT.column("placedAt")).isEqualTo("placedAt");
    }
}
