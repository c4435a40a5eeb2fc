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

    @Test
    void namingStyles() {
        assertThat(ColumnNaming.SNAKE_CASE.column("placedAtUtc")).isEqualTo("placed_at_utc");
        assertThat(ColumnNaming.SNAKE_CASE.column("id")).isEqualTo("id");
        assertThat(ColumnNaming.LOWER_CASE.column("placedAt")).isEqualTo("placedat");
        assertThat(ColumnNaming.EXACT.column("placedAt")).isEqualTo("placedAt");
    }
}
