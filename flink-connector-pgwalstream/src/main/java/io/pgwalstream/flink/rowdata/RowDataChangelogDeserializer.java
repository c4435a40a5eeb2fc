package io.pgwalstream.flink.rowdata;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.RelationSchema;
import io.pgwalstream.flink.source.ChangeEventDeserializer;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.protocol.TypeMessage;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.replication.UserTypeCatalog;
import io.pgwalstream.types.PgTypeRegistry;
import io.pgwalstream.types.PgUserType;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns change events into Flink changelog rows ({@link RowData}): the SQL connector's
 * deserializer, and the one to use with the DataStream API when RowData is wanted.
 *
 * <ul>
 *   <li>INSERT → {@code +I}; DELETE → {@code -D} (under upsert with only the key columns set when
 *       the table's REPLICA IDENTITY is DEFAULT or USING INDEX).
 *   <li>UPDATE in {@link ResolvedChangelogMode#ALL}: {@code -U} (the whole old row) and {@code +U};
 *       in {@link ResolvedChangelogMode#UPSERT}: {@code +U}, preceded by {@code -D} of the old key
 *       when the update changed the key (PostgreSQL then sends the old key).
 *   <li>TRUNCATE: fails with {@link ChangelogConversionException} or is skipped with a counted,
 *       rate-limited warning ({@link TruncateMode}). Logical decoding messages are counted and
 *       dropped.
 * </ul>
 *
 * <p>Fields are matched to the table's columns <em>by name</em>, using the newest Relation message
 * of each table: a column added while the job runs is ignored; a declared column that disappears
 * fails or reads as NULL ({@link DroppedColumnMode}). Metadata columns follow the physical fields.
 * Unchanged TOASTed values are taken from a full old row when there is one, otherwise the {@code
 * types.unchanged-toast} policy decides — never NULL silently.
 *
 * <p>Not thread-safe; the source calls it from one task thread.
 */
@PublicEvolving
public final class RowDataChangelogDeserializer implements ChangeEventDeserializer<RowData> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RowDataChangelogDeserializer.class);

    private final RowShape shape;
    private final ResolvedChangelogMode mode;
    private final List<String> keyColumns;

    /** Positions of the key columns among the produced fields (upsert mode). */
    private final int[] keyPositions;

    private final Set<TableName> tables;
    private final Set<Integer> relationOids;
    private final ConversionPolicies conversion;
    private final List<PgUserType> userTypes;
    private final DroppedColumnMode droppedColumns;
    private final TruncateMode truncateMode;
    private final TypeInformation<RowData> producedType;

    private transient Map<Integer, RelationRowConverter> converters;
    private transient PgTypeRegistry registry;
    private transient ConversionWarnings warnings;
    private transient ConversionPolicies policies;
    private transient long truncatesSkipped;
    private transient long messagesSkipped;

    private RowDataChangelogDeserializer(Builder b) {
        boolean fill = b.policies.unchangedToast() == PgConversionOptions.UnchangedToast.FILL;
        // A FULL old row (all row kinds) fills every unchanged value itself: nothing to keep.
        boolean toastFill = fill && b.mode == ResolvedChangelogMode.UPSERT;
        this.shape = new RowShape(b.fieldNames, b.fieldTypes, b.metadata, b.database, toastFill);
        this.mode = b.mode;
        this.keyColumns = List.copyOf(b.keyColumns);
        this.tables = b.tables == null ? null : Set.copyOf(b.tables);
        this.relationOids = b.relationOids == null ? null : Set.copyOf(b.relationOids);
        this.conversion =
                fill && !toastFill
                        ? b.policies.withUnchangedToast(PgConversionOptions.UnchangedToast.FAIL)
                        : b.policies;
        this.userTypes = List.copyOf(b.userTypes);
        this.droppedColumns = b.droppedColumns;
        this.truncateMode = b.truncateMode;
        this.producedType = b.producedType;
        if (mode == ResolvedChangelogMode.UPSERT && keyColumns.isEmpty()) {
            throw new IllegalArgumentException("Upsert mode needs the primary key columns");
        }
        this.keyPositions = new int[keyColumns.size()];
        for (int i = 0; i < keyPositions.length; i++) {
            keyPositions[i] = shape.fieldNames().indexOf(keyColumns.get(i));
            if (keyPositions[i] < 0) {
                // The planner keeps the key of an upsert source in every projection.
                throw new IllegalArgumentException(
                        "Key column "
                                + keyColumns.get(i)
                                + " is not among the produced fields "
                                + shape.fieldNames());
            }
        }
    }

    /**
     * @param physicalType the physical fields, matched to PostgreSQL columns by name
     * @param producedType type information of the produced rows (physical fields then metadata,
     *     then, under {@code types.unchanged-toast = FILL} in upsert mode, the two hidden fields of
     *     {@code ToastFillLayout}), e.g. {@code InternalTypeInfo.of(rowType)} from
     *     flink-table-runtime
     */
    public static Builder builder(RowType physicalType, TypeInformation<RowData> producedType) {
        return new Builder(physicalType, producedType);
    }

    @Override
    public void deserialize(ChangeEvent event, Collector<RowData> out) {
        if (event.relation() != null) {
            RelationRowConverter c = converter(event.relation());
            if (c == null) {
                return; // a table of the publication that this table does not read
            }
            switch (event.kind()) {
                case SNAPSHOT:
                case INSERT:
                    out.collect(c.convert(event, event.after(), null, RowKind.INSERT));
                    return;
                case UPDATE:
                    emitUpdate(c, event, out);
                    return;
                default:
                    out.collect(c.convert(event, event.before(), null, RowKind.DELETE));
                    return;
            }
        }
        switch (event.kind()) {
            case TRUNCATE:
                truncate(event);
                break;
            default:
                messagesSkipped++;
                if ((messagesSkipped & (messagesSkipped - 1)) == 0) {
                    LOG.info(
                            "Dropped a logical decoding message (prefix '{}'): a table has no rows"
                                    + " for them ({} so far, logged at powers of two)",
                            event.messagePrefix(),
                            messagesSkipped);
                }
        }
    }

    private void emitUpdate(RelationRowConverter c, ChangeEvent event, Collector<RowData> out) {
        if (mode == ResolvedChangelogMode.ALL) {
            if (!event.beforeIsFullRow()) {
                throw new ChangelogConversionException(
                        "An UPDATE of "
                                + qualified(event.relation())
                                + " at "
                                + event.position()
                                + " carries no full old row, so no -U row can be made. Run ALTER"
                                + " TABLE "
                                + TableName.of(
                                                event.relation().schemaName(),
                                                event.relation().tableName())
                                        .quoted()
                                + " REPLICA IDENTITY FULL, or read the table in upsert mode.");
            }
            out.collect(c.convert(event, event.before(), null, RowKind.UPDATE_BEFORE));
            out.collect(c.convert(event, event.after(), event.before(), RowKind.UPDATE_AFTER));
            return;
        }
        if (event.beforeIsKeyOnly()) {
            // PostgreSQL sends the old key when the update changed it (retract that key), and also
            // when the key is stored out of line and unchanged: then the new row has it as 'u'.
            GenericRowData oldKey = c.convert(event, event.before(), null, RowKind.DELETE);
            GenericRowData after =
                    c.convert(event, event.after(), event.before(), RowKind.UPDATE_AFTER);
            if (keyChanged(oldKey, after)) {
                out.collect(oldKey);
            }
            out.collect(after);
            return;
        }
        if (!event.beforeIsFullRow()) {
            out.collect(c.convert(event, event.after(), null, RowKind.UPDATE_AFTER));
            return;
        }
        // A full old row (REPLICA IDENTITY FULL read as upserts) comes with every update: retract
        // it only when the key changed, or the old key would stay downstream.
        GenericRowData before = c.convert(event, event.before(), null, RowKind.DELETE);
        GenericRowData after =
                c.convert(event, event.after(), event.before(), RowKind.UPDATE_AFTER);
        if (keyChanged(before, after)) {
            out.collect(before);
        }
        out.collect(after);
    }

    private boolean keyChanged(GenericRowData before, GenericRowData after) {
        for (int position : keyPositions) {
            if (!Objects.equals(before.getField(position), after.getField(position))) {
                return true;
            }
        }
        return false;
    }

    private void truncate(ChangeEvent event) {
        List<String> names =
                event.truncatedRelations().stream()
                        .filter(this::wanted)
                        .map(RowDataChangelogDeserializer::qualified)
                        .collect(Collectors.toList());
        if (names.isEmpty()) {
            return;
        }
        if (truncateMode == TruncateMode.FAIL) {
            throw new ChangelogConversionException(
                    "TRUNCATE of "
                            + String.join(", ", names)
                            + " (commit LSN "
                            + Lsn.format(event.position().commitLsn())
                            + ") cannot become changelog rows: the removed rows are not in the"
                            + " WAL. Set '"
                            + ChangelogOptions.TRUNCATE_MODE.key()
                            + "' = 'skip' to ignore TRUNCATEs (rows read before stay downstream),"
                            + " or avoid TRUNCATE on published tables (DELETE is streamed row"
                            + " by row).");
        }
        truncatesSkipped++;
        if ((truncatesSkipped & (truncatesSkipped - 1)) == 0) {
            LOG.warn(
                    "Skipped TRUNCATE of {} at commit LSN {} ('{}' = 'skip'): rows read before"
                            + " stay downstream ({} TRUNCATE(s) skipped so far, logged at powers"
                            + " of two)",
                    names,
                    Lsn.format(event.position().commitLsn()),
                    ChangelogOptions.TRUNCATE_MODE.key(),
                    truncatesSkipped);
        }
    }

    /** How many TRUNCATEs were skipped by this instance. */
    public long truncatesSkipped() {
        return truncatesSkipped;
    }

    /** The converter for the newest shape of the event's table; null if the table is not read. */
    private RelationRowConverter converter(RelationSchema schema) {
        if (converters == null) {
            converters = new HashMap<>();
            registry = new PgTypeRegistry();
            userTypes.forEach(registry::register);
            warnings = new ConversionWarnings();
            policies = conversion;
        }
        RelationRowConverter current = converters.get(schema.relationOid());
        if (current != null && current.schema() == schema) {
            return current;
        }
        if (!wanted(schema)) {
            return null;
        }
        if (current != null && current.schema().equals(schema)) {
            return current;
        }
        for (int i = 0; i < schema.columnCount(); i++) {
            TypeMessage type = schema.userType(i);
            if (type != null) {
                registry.register(type);
            }
        }
        checkIdentity(schema);
        RelationRowConverter created =
                new RelationRowConverter(
                        schema, shape, droppedColumns, registry, policies, warnings);
        converters.put(schema.relationOid(), created);
        LOG.info(
                "Reading {} with {} columns (REPLICA IDENTITY {}) into {} fields",
                qualified(schema),
                schema.columnCount(),
                schema.replicaIdentity(),
                shape.fieldNames().size());
        return created;
    }

    private boolean wanted(RelationSchema schema) {
        return (relationOids == null || relationOids.contains(schema.relationOid()))
                && (tables == null
                        || tables.contains(TableName.of(schema.schemaName(), schema.tableName())));
    }

    /** The table's identity may have been changed with ALTER TABLE after planning. */
    private void checkIdentity(RelationSchema schema) {
        String table = TableName.of(schema.schemaName(), schema.tableName()).quoted();
        if (mode == ResolvedChangelogMode.ALL) {
            if (schema.replicaIdentity() != ReplicaIdentity.FULL) {
                throw new ChangelogConversionException(
                        "Table "
                                + table
                                + " now has REPLICA IDENTITY "
                                + schema.replicaIdentity()
                                + ", but this table was planned with every row kind, which needs"
                                + " FULL. Run ALTER TABLE "
                                + table
                                + " REPLICA IDENTITY FULL and restart the job.");
            }
            return;
        }
        if (schema.replicaIdentity() == ReplicaIdentity.FULL) {
            return;
        }
        Set<String> identity =
                schema.columns().stream()
                        .filter(RelationColumn::isKey)
                        .map(RelationColumn::name)
                        .collect(Collectors.toSet());
        if (!identity.equals(new HashSet<>(keyColumns))) {
            throw new ChangelogConversionException(
                    "Table "
                            + table
                            + " now identifies rows by ("
                            + String.join(", ", identity)
                            + ") (REPLICA IDENTITY "
                            + schema.replicaIdentity()
                            + "), but the Flink table's primary key is ("
                            + String.join(", ", keyColumns)
                            + "): deletes would not carry the key. Restore the identity, or run"
                            + " ALTER TABLE "
                            + table
                            + " REPLICA IDENTITY FULL.");
        }
    }

    private static String qualified(RelationSchema schema) {
        return TableName.of(schema.schemaName(), schema.tableName()).toString();
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }

    /** Builds a {@link RowDataChangelogDeserializer}. */
    @PublicEvolving
    public static final class Builder {
        private final List<String> fieldNames;
        private final List<LogicalType> fieldTypes;
        private final TypeInformation<RowData> producedType;
        private List<MetadataColumn> metadata = List.of();
        private String database = "";
        private ResolvedChangelogMode mode = ResolvedChangelogMode.ALL;
        private List<String> keyColumns = List.of();
        private Set<TableName> tables;
        private Set<Integer> relationOids;
        private ConversionPolicies policies = ConversionPolicies.defaults();
        private List<PgUserType> userTypes = List.of();
        private DroppedColumnMode droppedColumns =
                ChangelogOptions.DROPPED_COLUMN_MODE.defaultValue();
        private TruncateMode truncateMode = ChangelogOptions.TRUNCATE_MODE.defaultValue();

        private Builder(RowType physicalType, TypeInformation<RowData> producedType) {
            this.fieldNames = new ArrayList<>(physicalType.getFieldNames());
            this.fieldTypes = new ArrayList<>(physicalType.getChildren());
            this.producedType = Objects.requireNonNull(producedType, "producedType");
        }

        /** Metadata columns appended after the physical fields, in this order. */
        public Builder metadata(List<MetadataColumn> value) {
            this.metadata = List.copyOf(value);
            return this;
        }

        /** The value of the {@code database_name} metadata column. */
        public Builder database(String value) {
            this.database = Objects.requireNonNull(value);
            return this;
        }

        /** Every row kind (default; needs REPLICA IDENTITY FULL). */
        public Builder allRowKinds() {
            this.mode = ResolvedChangelogMode.ALL;
            this.keyColumns = List.of();
            return this;
        }

        /** Upsert rows keyed by these columns, which must be the tables' replica identity. */
        public Builder upsert(List<String> primaryKey) {
            this.mode = ResolvedChangelogMode.UPSERT;
            this.keyColumns = List.copyOf(primaryKey);
            return this;
        }

        /** Only rows of these tables; others in the publication are dropped. Default: all. */
        public Builder tables(Set<TableName> value) {
            this.tables = Set.copyOf(value);
            return this;
        }

        /**
         * Only rows of the tables with these OIDs, which survive a rename (the SQL connector's
         * filter, taken from the catalog at planning time). Default: all.
         */
        public Builder relationOids(Set<Integer> value) {
            this.relationOids = Set.copyOf(value);
            return this;
        }

        /**
         * Catalog facts of the database's user types ({@link UserTypeCatalog#readAll}), which
         * binary values of enums, composites, ranges and arrays of user types need. Default: none.
         */
        public Builder userTypes(List<PgUserType> value) {
            this.userTypes = List.copyOf(value);
            return this;
        }

        public Builder conversion(ConversionPolicies value) {
            this.policies = Objects.requireNonNull(value);
            return this;
        }

        public Builder droppedColumns(DroppedColumnMode value) {
            this.droppedColumns = Objects.requireNonNull(value);
            return this;
        }

        public Builder truncate(TruncateMode value) {
            this.truncateMode = Objects.requireNonNull(value);
            return this;
        }

        public RowDataChangelogDeserializer build() {
            return new RowDataChangelogDeserializer(this);
        }
    }
}
