package io.pgwalstream.flink.rowdata.toast;

import io.pgwalstream.flink.rowdata.ConversionPolicies;
import io.pgwalstream.flink.rowdata.ConversionWarnings;
import io.pgwalstream.flink.rowdata.PgConversionOptions.UnchangedToast;
import io.pgwalstream.flink.rowdata.TupleToRowData;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.PgConnections;
import io.pgwalstream.replication.SqlIdentifier;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.types.PgTypeRegistry;
import io.pgwalstream.types.PgUserType;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import javax.annotation.Nullable;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads missing values from the table by primary key, in text form through the same converters as
 * the stream, together with the row version's {@code xmin}: when it is the change's transaction, no
 * later transaction has touched the row and the values are those at the change's commit. One
 * connection per subtask, opened on the first lookup and kept (autocommit: no transaction stays
 * open between lookups).
 */
@Internal
public final class PgToastLookup implements ToastLookup {

    private static final long serialVersionUID = 1L;

    /** A lookup by primary key is quick: a server silent for this long is given up. */
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(60);

    private final PgConnectionConfig connection;
    private final TableName table;
    private final RowType inputType;
    private final int[] keyFields;
    private final int xidField;

    /** The table's column (name, type) of each data field; null for metadata fields. */
    private final RelationColumn[] columnOfField;

    private final List<PgUserType> userTypes;
    private final ConversionPolicies policies;

    private transient Connection open;
    private transient Map<String, Query> statements;
    private transient PgTypeRegistry registry;
    private transient ConversionWarnings warnings;

    /**
     * @param columnOfField per data field of the layout, the table column it reads (null for
     *     metadata columns, which never need filling)
     */
    public PgToastLookup(
            PgConnectionConfig connection,
            TableName table,
            ToastFillLayout layout,
            List<RelationColumn> columnOfField,
            List<PgUserType> userTypes,
            ConversionPolicies policies) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.table = Objects.requireNonNull(table, "table");
        this.inputType = layout.inputType();
        this.keyFields = layout.keyFields();
        this.xidField = layout.xidField();
        if (columnOfField.size() != layout.dataArity()) {
            throw new IllegalArgumentException(
                    columnOfField.size() + " columns for " + layout.dataArity() + " data fields");
        }
        this.columnOfField = columnOfField.toArray(RelationColumn[]::new);
        for (int k : keyFields) {
            LogicalType type = inputType.getTypeAt(k);
            if (this.columnOfField[k] == null || !KeyParameters.supports(type)) {
                throw new IllegalArgumentException(
                        "Key field "
                                + inputType.getFieldNames().get(k)
                                + " of type "
                                + type
                                + " cannot be looked up by");
            }
        }
        this.userTypes = List.copyOf(userTypes);
        this.policies = policies.withUnchangedToast(UnchangedToast.FAIL);
    }

    /** Whether keys of this Flink type can be sent as lookup parameters. */
    public static boolean supportsKeyType(LogicalType type) {
        return KeyParameters.supports(type);
    }

    @Override
    public void open() {
        statements = new HashMap<>();
        registry = new PgTypeRegistry();
        userTypes.forEach(registry::register);
        warnings = new ConversionWarnings();
    }

    @Override
    @Nullable
    public Result lookup(RowData input, int[] fields) throws SQLException {
        Query statement = statement(fields);
        PreparedStatement ps = statement.prepared;
        for (int i = 0; i < keyFields.length; i++) {
            int k = keyFields[i];
            ps.setObject(i + 1, KeyParameters.text(input, k, inputType.getTypeAt(k)), Types.OTHER);
        }
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            long xmin = Long.parseLong(rs.getString(1));
            GenericRowData values = statement.converter.convert(textTuple(rs, fields.length));
            Object[] out = new Object[fields.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.getField(i);
            }
            boolean exact = xmin != 0 && xmin == input.getLong(xidField);
            return new Result(out, exact);
        }
    }

    /** The result's values after xmin as a TupleData of text values ({@code 't'} or NULL). */
    private static TupleData textTuple(ResultSet rs, int count) throws SQLException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.writeShort(count);
            for (int i = 0; i < count; i++) {
                String text = rs.getString(i + 2);
                if (text == null) {
                    out.writeByte('n');
                } else {
                    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                    out.writeByte('t');
                    out.writeInt(utf8.length);
                    out.write(utf8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        byte[] tuple = bytes.toByteArray();
        return TupleData.framed(tuple, 0, tuple.length, count);
    }

    /** One prepared query and converter per set of fields (in practice one or two per table). */
    private Query statement(int[] fields) throws SQLException {
        String id = Arrays.toString(fields);
        Query existing = statements.get(id);
        if (existing != null) {
            return existing;
        }
        StringBuilder sql = new StringBuilder("SELECT xmin::text");
        List<RelationColumn> columns = new ArrayList<>();
        List<LogicalType> types = new ArrayList<>();
        int[] projection = new int[fields.length];
        for (int i = 0; i < fields.length; i++) {
            RelationColumn column = columnOfField[fields[i]];
            if (column == null) {
                throw new IllegalArgumentException(
                        "Field " + inputType.getFieldNames().get(fields[i]) + " is no column");
            }
            sql.append(", ").append(SqlIdentifier.quote(column.name())).append("::text");
            columns.add(column);
            types.add(inputType.getTypeAt(fields[i]));
            projection[i] = i;
        }
        sql.append(" FROM ").append(table.quoted()).append(" WHERE ");
        for (int i = 0; i < keyFields.length; i++) {
            sql.append(i == 0 ? "" : " AND ")
                    .append(SqlIdentifier.quote(columnOfField[keyFields[i]].name()))
                    .append(" = ?");
        }
        Relation relation =
                new Relation(
                        -1, 0, table.schema(), table.table(), ReplicaIdentity.DEFAULT, columns);
        TupleToRowData converter =
                TupleToRowData.create(relation, projection, types, registry, policies, warnings);
        Query created = new Query(connection().prepareStatement(sql.toString()), converter);
        statements.put(id, created);
        return created;
    }

    private Connection connection() throws SQLException {
        if (open == null || open.isClosed()) {
            open = PgConnections.openSql(connection, LOOKUP_TIMEOUT);
            open.setAutoCommit(true);
            statements.clear();
        }
        return open;
    }

    @Override
    public void close() throws SQLException {
        if (open != null) {
            open.close();
            open = null;
        }
    }

    private record Query(PreparedStatement prepared, TupleToRowData converter) {}
}
