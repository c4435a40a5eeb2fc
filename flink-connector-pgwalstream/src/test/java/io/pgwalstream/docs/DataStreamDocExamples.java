package io.pgwalstream.docs;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.changes.ChangeRow;
import io.pgwalstream.flink.rowdata.RowDataChangelogDeserializer;
import io.pgwalstream.flink.rowdata.TruncateMode;
import io.pgwalstream.flink.source.ChangeEventDeserializer;
import io.pgwalstream.flink.source.PgWalStreamSource;
import io.pgwalstream.flink.typed.Change;
import io.pgwalstream.flink.typed.ColumnNaming;
import io.pgwalstream.flink.typed.RoutedChange;
import io.pgwalstream.flink.typed.RowMapper;
import io.pgwalstream.flink.typed.TableRoutes;
import io.pgwalstream.flink.typed.TypedChangeDeserializer;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.TableName;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Java examples of {@code docs/datastream.md}, compiled: {@link DataStreamDocTest} checks that
 * each example there is, up to whitespace, the region of the same name here. An example that no
 * longer compiles breaks the build, and one edited in only one place fails the test.
 */
@SuppressWarnings("unused")
final class DataStreamDocExamples implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    void sourceBuilder(String password, StreamExecutionEnvironment env) {
        // example: source-builder
        PgWalStreamSource<MyEvent> source =
                PgWalStreamSource.<MyEvent>builder()
                        .connection(
                                PgConnectionConfig.of("db.example", 5432, "shop", "cdc")
                                        .withPassword(password)
                                        .withDriverProperties(Map.of("sslmode", "verify-full")))
                        .slotGroup(
                                "orders_slot",
                                "orders_pub",
                                List.of(
                                        TableName.of("public", "orders"),
                                        TableName.of("public", "order_items")))
                        .slotGroup(
                                "customers_slot",
                                "customers_pub",
                                List.of(TableName.of("public", "customers")))
                        .createPublications(true)
                        .createSlots(true)
                        .deserializer(new MyEventDeserializer()) // ChangeEvent -> MyEvent
                        .build();

        env.enableCheckpointing(10_000);
        env.fromSource(source, WatermarkStrategy.forMonotonousTimestamps(), "postgres");
        // end example
    }

    PgWalStreamSource<RowData> rowData(PgConnectionConfig config) {
        // example: rowdata
        RowType rowType =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("id", DataTypes.INT().notNull()),
                                        DataTypes.FIELD("v", DataTypes.STRING()))
                                .getLogicalType();
        RowDataChangelogDeserializer rows =
                RowDataChangelogDeserializer.builder(rowType, InternalTypeInfo.of(rowType))
                        .allRowKinds() // REPLICA IDENTITY FULL: +I, -U, +U, -D
                        // .upsert(List.of("id"))      // DEFAULT / USING INDEX: +I, +U, -D
                        .truncate(TruncateMode.SKIP) // default FAIL
                        .build();
        PgWalStreamSource<RowData> source =
                PgWalStreamSource.<RowData>builder()
                        .connection(config)
                        .slotGroup(
                                "items_slot", "items_pub", List.of(TableName.of("public", "items")))
                        .deserializer(rows)
                        .build();
        // end example
        return source;
    }

    // example: change-row
    class OrderEvents implements ChangeEventDeserializer<OrderEvent> {
        @Override
        public void deserialize(ChangeEvent event, Collector<OrderEvent> out) {
            ChangeRow row = event.afterRow(); // null for DELETE, TRUNCATE and MESSAGE events
            if (row == null) {
                return;
            }
            out.collect(
                    new OrderEvent(
                            event.kind(),
                            row.getLong("id"), // null for SQL NULL
                            row.getString("customer"),
                            row.getDecimal("total"),
                            row.getInstant("created_at"),
                            row.getList("tags", String.class)));
        }

        @Override
        public TypeInformation<OrderEvent> getProducedType() {
            return TypeInformation.of(OrderEvent.class);
        }
    }

    // end example

    /**
     * The record is a member here, as it would be a top-level type in a user's code; the example's
     * {@code config} is the connection {@link DataStreamDocExamplesITCase} sets before building.
     */
    static final class TypedChanges {
        static PgConnectionConfig config;

        // example: typed-changes
        public record Order(long orderId, String customer, BigDecimal total, List<String> tags) {}

        PgWalStreamSource<Change<Order>> source =
                PgWalStreamSource.<Change<Order>>builder()
                        .connection(config)
                        .slotGroup(
                                "orders_slot",
                                "orders_pub",
                                List.of(TableName.of("public", "orders")))
                        .startWithSnapshot()
                        .deserializer(
                                TypedChangeDeserializer.of(
                                                RowMapper.builder(Order.class)
                                                        .naming(ColumnNaming.SNAKE_CASE)
                                                        .build())
                                        .forTable("public", "orders"))
                        .build();
        // end example
    }

    DataStream<Change<Customer>> tableRoutes(
            PgConnectionConfig config, StreamExecutionEnvironment env) {
        // example: table-routes
        TableRoutes routes = new TableRoutes();
        OutputTag<Change<Customer>> customers =
                routes.route(TableName.of("public", "customers"), Customer.class);
        OutputTag<Change<Payment>> payments =
                routes.route(
                        TableName.of("public", "payments"),
                        RowMapper.builder(Payment.class).naming(ColumnNaming.SNAKE_CASE).build());

        PgWalStreamSource<RoutedChange> source =
                PgWalStreamSource.<RoutedChange>builder()
                        .connection(config)
                        .slotGroup(
                                "shop_slot",
                                "shop_pub",
                                List.of(
                                        TableName.of("public", "customers"),
                                        TableName.of("public", "payments")))
                        .deserializer(routes.deserializer())
                        .build();
        SingleOutputStreamOperator<RoutedChange> split =
                routes.split(
                        env.fromSource(source, WatermarkStrategy.noWatermarks(), "pg-walstream"));
        DataStream<Change<Customer>> customerChanges = split.getSideOutput(customers);
        DataStream<Change<Payment>> paymentChanges = split.getSideOutput(payments);
        // end example
        return customerChanges;
    }

    /** The examples' own types. */
    public record MyEvent(String text) {}

    public record OrderEvent(
            ChangeKind kind,
            Long id,
            String customer,
            BigDecimal total,
            Instant createdAt,
            List<String> tags) {}

    public record Customer(int id, String name) {}

    public record Payment(long id, int customerId, BigDecimal amount) {}

    static final class MyEventDeserializer implements ChangeEventDeserializer<MyEvent> {
        @Override
        public void deserialize(ChangeEvent event, Collector<MyEvent> out) {
            out.collect(new MyEvent(event.kind().toString()));
        }

        @Override
        public TypeInformation<MyEvent> getProducedType() {
            return TypeInformation.of(MyEvent.class);
        }
    }
}
