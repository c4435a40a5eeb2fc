package io.pgwalstream.flink.typed;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.RelationSchema;
import io.pgwalstream.flink.source.ChangeEventDeserializer;
import io.pgwalstream.replication.TableName;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One source over many tables, each table's changes to a stream of its own type: add a route per
 * table, read the source with {@link #deserializer()}, and take each table's stream from {@link
 * #split}'s side output.
 *
 * <pre>{@code
 * TableRoutes routes = new TableRoutes();
 * OutputTag<Change<Order>> orders = routes.route(TableName.of("shop", "orders"), Order.class);
 * OutputTag<Change<Customer>> customers =
 *         routes.route(TableName.of("shop", "customers"), RowMapper.of(Customer.class));
 * PgWalStreamSource<RoutedChange> source = PgWalStreamSource.<RoutedChange>builder()
 *         ... .deserializer(routes.deserializer()).build();
 * SingleOutputStreamOperator<RoutedChange> split =
 *         routes.split(env.fromSource(source, WatermarkStrategy.noWatermarks(), "pg-walstream"));
 * DataStream<Change<Order>> orderChanges = split.getSideOutput(orders);
 * }</pre>
 *
 * Rows of tables without a route are dropped by the deserializer. Routes are fixed once {@link
 * #deserializer()} is called: add them all first.
 */
@PublicEvolving
public final class TableRoutes {

    private final List<TableName> tables = new ArrayList<>();
    private final List<TypedChangeDeserializer<?>> deserializers = new ArrayList<>();
    private final List<OutputTag<?>> tags = new ArrayList<>();
    private boolean sealed;

    /** Routes {@code table}'s changes as {@code type} with the default mapping. */
    public <T> OutputTag<Change<T>> route(TableName table, Class<T> type) {
        return route(table, RowMapper.of(type));
    }

    /** Routes {@code table}'s changes through {@code mapper}. */
    public <T> OutputTag<Change<T>> route(TableName table, RowMapper<T> mapper) {
        if (sealed) {
            throw new IllegalStateException(
                    "Routes are fixed once deserializer() was called: add every route first");
        }
        if (tables.contains(table)) {
            throw new IllegalArgumentException(table + " is routed already");
        }
        TypedChangeDeserializer<T> deserializer =
                TypedChangeDeserializer.of(mapper).forTable(table.schema(), table.table());
        OutputTag<Change<T>> tag =
                new OutputTag<>(
                        "pgwalstream-" + table.schema() + "." + table.table(),
                        deserializer.getProducedType());
        tables.add(table);
        deserializers.add(deserializer);
        tags.add(tag);
        return tag;
    }

    /** The source's deserializer: each routed table's rows as {@link RoutedChange}. */
    public ChangeEventDeserializer<RoutedChange> deserializer() {
        sealed = true;
        return new Deserializer(List.copyOf(tables), List.copyOf(deserializers));
    }

    /** Hands every change to its table's side output ({@link #route} returned its tag). */
    public SingleOutputStreamOperator<RoutedChange> split(DataStream<RoutedChange> routed) {
        sealed = true;
        return routed.process(new Splitter(List.copyOf(tags)), routed.getType())
                .name("pg-walstream table routes");
    }

    private static final class Deserializer implements ChangeEventDeserializer<RoutedChange> {
        private static final long serialVersionUID = 1L;

        private final List<TableName> tables;
        private final List<TypedChangeDeserializer<?>> routes;
        private transient Map<RelationSchema, Integer> routeOf;

        Deserializer(List<TableName> tables, List<TypedChangeDeserializer<?>> routes) {
            this.tables = tables;
            this.routes = routes;
        }

        @Override
        public void deserialize(ChangeEvent event, Collector<RoutedChange> out) {
            RelationSchema relation = event.relation();
            if (relation == null) {
                return;
            }
            if (routeOf == null) {
                routeOf = new HashMap<>();
            }
            Integer route =
                    routeOf.computeIfAbsent(
                            relation,
                            r -> tables.indexOf(TableName.of(r.schemaName(), r.tableName())));
            if (route < 0) {
                return;
            }
            emit(routes.get(route), route, event, out);
        }

        private static <T> void emit(
                TypedChangeDeserializer<T> deserializer,
                int route,
                ChangeEvent event,
                Collector<RoutedChange> out) {
            deserializer.deserialize(
                    event,
                    new Collector<>() {
                        @Override
                        public void collect(Change<T> change) {
                            out.collect(new RoutedChange(route, change));
                        }

                        @Override
                        public void close() {}
                    });
        }

        @Override
        public TypeInformation<RoutedChange> getProducedType() {
            List<TypeInformation<?>> rowTypes = new ArrayList<>();
            for (TypedChangeDeserializer<?> route : routes) {
                rowTypes.add(route.rowType());
            }
            return new RoutedChangeTypeInfo(rowTypes);
        }
    }

    private static final class Splitter extends ProcessFunction<RoutedChange, RoutedChange> {
        private static final long serialVersionUID = 1L;

        private final List<OutputTag<?>> tags;

        Splitter(List<OutputTag<?>> tags) {
            this.tags = tags;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void processElement(RoutedChange value, Context ctx, Collector<RoutedChange> out) {
            ctx.output((OutputTag) tags.get(value.route()), value.change());
        }
    }
}
