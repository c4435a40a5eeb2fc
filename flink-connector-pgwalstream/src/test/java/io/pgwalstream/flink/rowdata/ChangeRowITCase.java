package io.pgwalstream.flink.rowdata;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.changes.ChangePosition;
import io.pgwalstream.changes.ChangeRow;
import io.pgwalstream.changes.ColumnValueException;
import io.pgwalstream.changes.RelationSchema;
import io.pgwalstream.changes.TransactionInfo;
import io.pgwalstream.protocol.ColumnKind;
import io.pgwalstream.protocol.Insert;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.Update;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ChangeRow} over tuples a real PostgreSQL sent in text and in binary form, compared with
 * the values pgjdbc reads back from the table.
 */
@PostgresTest
@Timeout(300)
class ChangeRowITCase {

    private static final String DDL =
            "CREATE TABLE typed (id int8 PRIMARY KEY, c_bool bool, c_int2 int2, c_int4 int4,"
                    + " c_float4 float4, c_float8 float8, c_num numeric, c_bytea bytea,"
                    + " c_ts timestamp, c_tstz timestamptz, c_date date, c_time time,"
                    + " c_timetz timetz, c_uuid uuid, c_json json, c_jsonb jsonb, c_text text,"
                    + " c_texts text[], c_int8s int8[], c_posint posint)";

    private static final String ROW =
            "INSERT INTO typed VALUES (-9223372036854775808, true, -32768, 2147483647, '-0.1',"
                    + " '1e308', '-1234567890.0012300', '\\x00ff7f', '2024-02-29 23:59:59.999999',"
                    + " '1999-12-31 23:30:00.5-05:30', '0044-03-15 BC', '00:00:00.000001',"
                    + " '13:14:15.5+05:45', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',"
                    + " '{\"b\": [1, 2.50]}', '{\"b\": [1, 2.50], \"a\": null}', 'Zoë 😀',"
                    + " ARRAY['a', 'b c', NULL, 'NULL', '\"q\"'], ARRAY[1, -2]::int8[], 7)";

    @Test
    void textAndBinaryRowsReadAsJdbcReadsTheTable(PostgresServer pg) throws SQLException {
        try (SlotCapture capture = new SlotCapture(pg, "changerow")) {
            capture.sql(
                    "CREATE DOMAIN posint AS int4 CHECK (VALUE > 0)",
                    DDL,
                    "CREATE PUBLICATION pub FOR TABLE typed",
                    ROW,
                    "INSERT INTO typed (id) VALUES (2)");
            for (boolean binary : new boolean[] {true, false}) {
                String[] settings =
                        binary ? new String[0] : new String[] {"SET TimeZone = 'Asia/Kolkata'"};
                SlotCapture.Decoded decoded = capture.peek(binary, settings);
                Relation relation = decoded.relation("typed");
                RelationSchema schema = new RelationSchema(relation, typesOf(decoded, relation));
                List<Insert> inserts = decoded.inserts(relation);
                assertThat(inserts.get(0).newTuple().kind(1))
                        .isEqualTo(binary ? ColumnKind.BINARY : ColumnKind.TEXT);

                ChangeRow row = ChangeRow.of(schema, inserts.get(0).newTuple());
                assertMatchesJdbc(capture, row, binary ? "binary" : "text");

                ChangeRow nulls = ChangeRow.of(schema, inserts.get(1).newTuple());
                assertThat(nulls.getLong("id")).isEqualTo(2L);
                for (String column : nulls.columnNames()) {
                    if (!column.equals("id")) {
                        assertThat(nulls.isNull(column)).as(column).isTrue();
                        assertThat(nulls.getString(column)).as(column).isNull();
                    }
                }
            }
        }
    }

    private static List<io.pgwalstream.protocol.TypeMessage> typesOf(
            SlotCapture.Decoded decoded, Relation relation) {
        return relation.columns().stream()
                .map(
                        c ->
                                decoded.types.stream()
                                        .filter(t -> t.typeOid() == c.typeOid())
                                        .findFirst()
                                        .orElse(null))
                .toList();
    }

    private static void assertMatchesJdbc(SlotCapture capture, ChangeRow row, String mode)
            throws SQLException {
        try (Connection c = capture.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM typed WHERE id < 0")) {
            assertThat(rs.next()).isTrue();
            assertThat(row.getLong("id")).as(mode).isEqualTo(rs.getLong("id"));
            assertThat(row.getBoolean("c_bool")).as(mode).isEqualTo(rs.getBoolean("c_bool"));
            assertThat(row.getShort("c_int2")).as(mode).isEqualTo(rs.getShort("c_int2"));
            assertThat(row.getInt("c_int4")).as(mode).isEqualTo(rs.getInt("c_int4"));
            assertThat(row.getFloat("c_float4")).as(mode).isEqualTo(rs.getFloat("c_float4"));
            assertThat(row.getDouble("c_float8")).as(mode).isEqualTo(rs.getDouble("c_float8"));
            BigDecimal num = rs.getBigDecimal("c_num");
            assertThat(row.getDecimal("c_num")).as(mode).isEqualTo(num);
            assertThat(num.scale()).isEqualTo(7);
            assertThat(row.getBytes("c_bytea")).as(mode).isEqualTo(rs.getBytes("c_bytea"));
            assertThat(row.getLocalDateTime("c_ts"))
                    .as(mode)
                    .isEqualTo(rs.getObject("c_ts", LocalDateTime.class));
            assertThat(row.getInstant("c_tstz"))
                    .as(mode)
                    .isEqualTo(rs.getObject("c_tstz", OffsetDateTime.class).toInstant());
            assertThat(row.getLocalDate("c_date"))
                    .as(mode)
                    .isEqualTo(LocalDate.of(-43, 3, 15)); // 44 BC is astronomical year -43
            assertThat(row.getLocalTime("c_time"))
                    .as(mode)
                    .isEqualTo(rs.getObject("c_time", LocalTime.class));
            assertThat(row.getOffsetTime("c_timetz"))
                    .as(mode)
                    .isEqualTo(rs.getObject("c_timetz", OffsetTime.class));
            assertThat(row.getUuid("c_uuid"))
                    .as(mode)
                    .isEqualTo(rs.getObject("c_uuid", UUID.class));
            assertThat(row.getJson("c_json")).as(mode).isEqualTo(rs.getString("c_json"));
            assertThat(row.getJson("c_jsonb")).as(mode).isEqualTo(rs.getString("c_jsonb"));
            assertThat(row.getString("c_text")).as(mode).isEqualTo(rs.getString("c_text"));
            Array texts = rs.getArray("c_texts");
            assertThat(row.getList("c_texts", String.class))
                    .as(mode)
                    .isEqualTo(Arrays.asList((Object[]) texts.getArray()));
            Array longs = rs.getArray("c_int8s");
            assertThat(row.getList("c_int8s", Long.class))
                    .as(mode)
                    .isEqualTo(Arrays.asList((Object[]) longs.getArray()));
            assertThat(row.getInt("c_posint")).as(mode).isEqualTo(rs.getInt("c_posint"));
            assertThat(row.getString("c_int8s")).as(mode).isEqualTo(rs.getString("c_int8s"));
            assertThat(row.getString("c_texts")).as(mode).isEqualTo(rs.getString("c_texts"));
        }
    }

    @Test
    void unchangedToastIsReadFromAFullOldRowOnly(PostgresServer pg) throws SQLException {
        try (SlotCapture capture = new SlotCapture(pg, "changerow_toast")) {
            // Stored uncompressed and out of line: well past the 2 kB TOAST threshold.
            String big = "0123456789abcdef".repeat(1000);
            for (String table : new String[] {"docs_full", "docs_key"}) {
                capture.sql(
                        "CREATE TABLE " + table + " (id int PRIMARY KEY, doc text, note text)",
                        "ALTER TABLE " + table + " ALTER COLUMN doc SET STORAGE EXTERNAL");
            }
            capture.sql(
                    "ALTER TABLE docs_full REPLICA IDENTITY FULL",
                    "CREATE PUBLICATION pub FOR TABLE docs_full, docs_key",
                    "INSERT INTO docs_full VALUES (1, '" + big + "', 'before')",
                    "INSERT INTO docs_key SELECT * FROM docs_full",
                    "UPDATE docs_full SET note = 'after'",
                    "UPDATE docs_key SET note = 'after'");
            for (boolean binary : new boolean[] {true, false}) {
                SlotCapture.Decoded decoded = capture.peek(binary);

                ChangeEvent full = updateEvent(decoded, "docs_full");
                assertThat(full.after().kind(1)).isEqualTo(ColumnKind.UNCHANGED_TOAST);
                ChangeRow fullAfter = full.afterRow();
                assertThat(fullAfter.isUnchangedToast("doc")).isFalse();
                assertThat(fullAfter.getString("doc")).isEqualTo(big);
                assertThat(fullAfter.getString("note")).isEqualTo("after");
                assertThat(full.beforeRow().getString("note")).isEqualTo("before");

                ChangeEvent keyed = updateEvent(decoded, "docs_key");
                assertThat(keyed.beforeRow()).isNull();
                ChangeRow keyAfter = keyed.afterRow();
                assertThat(keyAfter.isUnchangedToast("doc")).isTrue();
                assertThat(keyAfter.isNull("doc")).isFalse();
                assertThatThrownBy(() -> keyAfter.getString("doc"))
                        .isInstanceOf(ColumnValueException.class)
                        .hasMessageContaining("public.docs_key")
                        .hasMessageContaining("unchanged TOASTed value");
                assertThat(keyAfter.getInt("id")).isEqualTo(1);
            }
        }
    }

    private static ChangeEvent updateEvent(SlotCapture.Decoded decoded, String table) {
        Relation relation = decoded.relation(table);
        Update update =
                decoded.updates.stream()
                        .filter(u -> u.relationOid() == relation.relationOid())
                        .findFirst()
                        .orElseThrow();
        return new ChangeEvent(
                ChangeKind.UPDATE,
                new ChangePosition(1, 0, 1),
                new TransactionInfo(1, 1, 0, 0, null, null),
                RelationSchema.of(relation),
                update.oldTupleKind(),
                update.oldTuple(),
                update.newTuple(),
                List.of(),
                0,
                null);
    }
}
