package io.pgwalstream.e2e.changelog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlChangelogOutputTest {

    /** Three transactions; the second spans both tables. */
    private static final List<List<Change>> HISTORY =
            List.of(
                    List.of(
                            Change.insert("items_a", 1, "t1.1"),
                            Change.insert("items_a", 2, "t1.2")),
                    List.of(
                            Change.update("items_a", 1, "t1.1", "t2.1"),
                            Change.insert("items_b", 3, "t2.2")),
                    List.of(Change.delete("items_a", 2, "t1.2")));

    private static final String I_1 = row("+I", "items_a", 1, "t1.1", "0/10", 700);
    private static final String I_2 = row("+I", "items_a", 2, "t1.2", "0/10", 700);
    private static final String UB_1 = row("-U", "items_a", 1, "t1.1", "0/20", 701);
    private static final String UA_1 = row("+U", "items_a", 1, "t2.1", "0/20", 701);
    private static final String I_3 = row("+I", "items_b", 3, "t2.2", "0/20", 701);
    private static final String D_2 = row("-D", "items_a", 2, "t1.2", "1/0", 702);

    @Test
    void everyRowOnceInAnyFileOrderPasses(@TempDir Path dir) throws IOException {
        write(dir, "part-x-1-0", D_2, I_3, UA_1);
        write(dir, "part-x-0-0", UB_1, I_1, I_2);
        // Not committed yet: hidden.
        write(dir, ".part-x-0-1.inprogress.y", D_2);

        SqlChangelogOutput output = SqlChangelogOutput.read(dir);

        assertThat(output.rows()).isEqualTo(6).isEqualTo(SqlChangelogOutput.rowCount(HISTORY));
        output.assertEqualTo(HISTORY);
    }

    @Test
    void aRowTwiceIsADuplicate(@TempDir Path dir) throws IOException {
        write(dir, "part-x-0-0", I_1, I_2, UB_1, UA_1, I_3, D_2);
        write(dir, "part-x-0-1", UA_1);

        assertThatThrownBy(() -> SqlChangelogOutput.read(dir).assertEqualTo(HISTORY))
                .hasMessageContaining("1 duplicated rows, first [+U items_a(1) t2.1]");
    }

    @Test
    void aMissingRowIsLost(@TempDir Path dir) throws IOException {
        write(dir, "part-x-0-0", I_1, I_2, UB_1, UA_1, D_2);

        assertThatThrownBy(() -> SqlChangelogOutput.read(dir).assertEqualTo(HISTORY))
                .hasMessageContaining("items_b: 1 of 1 rows lost, first [+I items_b(3) t2.2]");
    }

    @Test
    void aRowOfNoCommittedChangeIsUnexpected(@TempDir Path dir) throws IOException {
        write(dir, "part-x-0-0", I_1, I_2, UB_1, UA_1, I_3, D_2);
        write(dir, "part-x-0-1", row("+I", "items_a", 9, "t4.1", "1/10", 703));

        assertThatThrownBy(() -> SqlChangelogOutput.read(dir).assertEqualTo(HISTORY))
                .hasMessageContaining("1 unexpected rows, first [+I items_a(9) t4.1]");
    }

    @Test
    void aTransactionSplitOverTwoPositionsFails(@TempDir Path dir) throws IOException {
        write(dir, "part-x-0-0", I_1, I_2, UB_1, UA_1, D_2);
        write(dir, "part-x-1-0", row("+I", "items_b", 3, "t2.2", "0/21", 701));

        assertThatThrownBy(() -> SqlChangelogOutput.read(dir).assertEqualTo(HISTORY))
                .hasMessageContaining("transaction #1 has rows at several positions");
    }

    @Test
    void positionsAgainstTheCommitOrderFail(@TempDir Path dir) throws IOException {
        write(dir, "part-x-0-0", I_1, I_2, UB_1, UA_1, I_3);
        write(dir, "part-x-0-1", row("-D", "items_a", 2, "t1.2", "0/18", 702));

        assertThatThrownBy(() -> SqlChangelogOutput.read(dir).assertEqualTo(HISTORY))
                .hasMessageContaining("transaction #2 at [0/18 xid 702] does not come after");
    }

    @Test
    void aPrefixPerTablePassesAndAGapDoesNot(@TempDir Path prefix, @TempDir Path gap)
            throws IOException {
        // items_a up to the middle of transaction #1, nothing of items_b yet.
        write(prefix, "part-x-0-0", I_1, I_2, UB_1);
        assertThat(SqlChangelogOutput.read(prefix).assertPrefixOf(HISTORY))
                .isEqualTo(Map.of("items_a", 3));
        assertThatThrownBy(() -> SqlChangelogOutput.read(prefix).assertEqualTo(HISTORY))
                .hasMessageContaining("items_a: 2 of 5 rows lost");

        write(gap, "part-x-0-0", I_1, UB_1);
        assertThatThrownBy(() -> SqlChangelogOutput.read(gap).assertPrefixOf(HISTORY))
                .hasMessageContaining(
                        "items_a: 1 of 5 rows lost before the last delivered one, first [+I"
                                + " items_a(2) t1.2]");
    }

    /** A line as Flink's debezium-json encoder writes the row. */
    private static String row(String kind, String table, int id, String v, String lsn, long xid) {
        String fields =
                String.format(
                        "{\"table_name\":\"%s\",\"row_kind\":\"%s\",\"id\":%d,\"v\":\"%s\","
                                + "\"lsn\":\"%s\",\"xid\":%d}",
                        table, kind, id, v, lsn, xid);
        boolean after = kind.startsWith("+");
        return String.format(
                "{\"before\":%s,\"after\":%s,\"op\":\"%s\"}",
                after ? "null" : fields, after ? fields : "null", after ? "c" : "d");
    }

    private static void write(Path dir, String name, String... lines) throws IOException {
        Files.write(dir.resolve(name), List.of(lines));
    }
}
