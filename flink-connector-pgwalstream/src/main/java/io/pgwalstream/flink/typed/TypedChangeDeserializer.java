package io.pgwalstream.flink.typed;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.changes.RelationSchema;
import io.pgwalstream.changes.TransactionInfo;
import io.pgwalstream.flink.source.ChangeEventDeserializer;
import io.pgwalstream.protocol.PgTimestamps;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.util.Collector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.Objects;

/**
 * Row changes as {@link Change}{@code <T>} of a user's record or POJO ({@link RowMapper}): snapshot
 * rows, inserts, updates and deletes, with the table, LSN, xid, commit time and origin. TRUNCATE
 * and logical decoding messages have no row and are skipped (logged at powers of two). With {@link
 * #forTable} only that table's rows are mapped; otherwise every table of the source must fit {@code
 * T}.
 *
 * <pre>{@code
 * record Order(long id, String customer, BigDecimal total) {}
 *
 * PgWalStreamSource<Change<Order>> source =
 *         PgWalStreamSource.<Change<Order>>builder()
 *                 ...
 *                 .deserializer(TypedChangeDeserializer.of(Order.class).forTable("public", "orders"))
 *                 .build();
 * }</pre>
 */
@PublicEvolving
public final class TypedChangeDeserializer<T> implements ChangeEventDeserializer<Change<T>> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TypedChangeDeserializer.class);

    private final RowMapper<T> mapper;
    private final TypeInformation<T> rowType;
    @Nullable private final String schema;
    @Nullable private final String table;

    private transient long skipped;

    private TypedChangeDeserializer(
            RowMapper<T> mapper,
            TypeInformation<T> rowType,
            @Nullable String schema,
            @Nullable String table) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.rowType = Objects.requireNonNull(rowType, "rowType");
        this.schema = schema;
        this.table = table;
    }

    /** Changes as {@code type} with the default mapping ({@link RowMapper#of}). */
    public static <T> TypedChangeDeserializer<T> of(Class<T> type) {
        return of(RowMapper.of(type));
    }

    /**
     * Changes mapped by {@code mapper}, serialized with Flink's type information for its class (the
     * POJO serializer for records and POJOs).
     *
     * @throws TypedMappingException if Flink would fall back to Kryo for the class
     */
    public static <T> TypedChangeDeserializer<T> of(RowMapper<T> mapper) {
        TypeInformation<T> type = TypeInformation.of(mapper.type());
        if (type instanceof GenericTypeInfo) {
            throw new TypedMappingException(
                    mapper.type().getName()
                            + " is not a type Flink serializes as a POJO (it would fall back to"
                            + " Kryo): use a record, or a public class with a public no-argument"
                            + " constructor and public fields or getters and setters; or pass"
                            + " its TypeInformation to of(mapper, typeInformation)");
        }
        return of(mapper, type);
    }

    public static <T> TypedChangeDeserializer<T> of(
            RowMapper<T> mapper, TypeInformation<T> typeInformation) {
        return new TypedChangeDeserializer<>(mapper, typeInformation, null, null);
    }

    /** Only the rows of {@code schema.table} (names as in PostgreSQL, case-sensitive). */
    public TypedChangeDeserializer<T> forTable(String schema, String table) {
        return new TypedChangeDeserializer<>(
                mapper, rowType, Objects.requireNonNull(schema), Objects.requireNonNull(table));
    }

    @Override
    public void deserialize(ChangeEvent event, Collector<Change<T>> out) {
        RelationSchema relation = event.relation();
        if (relation == null) {
            skipped++;
            if ((skipped & (skipped - 1)) == 0) {
                LOG.info(
                        "Skipped a {} event: typed changes are row changes ({} so far, logged at"
                                + " powers of two)",
                        event.kind(),
                        skipped);
            }
            return;
        }
        if (table != null
                && !(table.equals(relation.tableName()) && schema.equals(relation.schemaName()))) {
            return;
        }
        T before =
                event.hasBefore() ? mapper.map(event.beforeRow(), event.beforeIsKeyOnly()) : null;
        T after = event.after() != null ? mapper.map(event.afterRow(), false) : null;
        TransactionInfo tx = event.transaction();
        out.collect(
                new Change<>(
                        event.kind(),
                        before,
                        after,
                        relation.schemaName(),
                        relation.tableName(),
                        tx.commitLsn(),
                        Integer.toUnsignedLong(tx.xid()),
                        event.kind() == ChangeKind.SNAPSHOT || tx.commitTime() == 0
                                ? null
                                : PgTimestamps.toInstant(tx.commitTime()),
                        tx.originName()));
    }

    TypeInformation<T> rowType() {
        return rowType;
    }

    @Override
    public TypeInformation<Change<T>> getProducedType() {
        return new ChangeTypeInfo<>(rowType);
    }
}
