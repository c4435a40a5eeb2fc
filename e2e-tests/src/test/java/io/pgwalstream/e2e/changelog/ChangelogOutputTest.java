package io.pgwalstream.e2e.changelog;

import io.pgwalstream.e2e.jobs.changelog.ChangeLine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangelogOutputTest {

    private static final List<Change> HISTORY =
            List.of(
                    Change.insert("items_a", 1, "t1.1"),
                    Change.insert("items_b", 2, "t2.1"),
                    Change.update("items_a", 1, "t1.1", "t3.1"),
                    Change.delete("items_a", 1, "t3.1"));

    /** The lines a correct job writes for {@link #HISTORY}, in two files, out of order. */
    private static final List<String> FIRST_FILE =
            List.of(
                    line("items_a", 0x30, 1, "UPDATE", 1, "t1.1", "t3.1"),
                    line("items_b", 0x20, 1, "INSERT", 2, "-", "t2.1"));

    private static final List<String> SECOND_FILE =
            List.of(
                    line("items_a", 0x10, 1, "INSERT", 1, "-", "t1.1"),
                    line("items_a", 0x30, 2, "DELETE", 1, "t3.1", "-"));

    @Test
    void linesRoundTrip() {
        ChangeLine line =
                new ChangeLine("items_a", 0xFFFF_FFFF_0000_0010L, 3, "UPDATE", "7", "a", "b");
        assertThat(ChangeLine.parse(line.format())).isEqualTo(line);
        assertThatThrownBy(() -> ChangeLine.parse("items_a|10|1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theHistoryInPositionOrderPasses(@TempDir Path dir) throws IOException {
        write(dir, "changes-0-0.txt", FIRST_FILE);
        write(dir, "changes-1-0.txt", SECOND_FILE);
        // In-progress and pending part files are hidden and not committed yet.
        write(dir, ".changes-0-1.txt.inprogress.x", List.of(FIRST_FILE.get(0)));

        ChangelogOutput output = ChangelogOutput.read(dir);

        assertThat(output.lines()).isEqualTo(4);
        output.assertEqualTo(HISTORY);
    }

    @Test
    void aRepeatedPositionIsADuplicate(@TempDir Path dir) throws IOException {
        write(dir, "changes-0-0.txt", FIRST_FILE);
        write(dir, "changes-1-0.txt", SECOND_FILE);
        write(dir, "changes-1-1.txt", List.of(SECOND_FILE.get(0)));

        assertThatThrownBy(() -> ChangelogOutput.read(dir).assertEqualTo(HISTORY))
                .hasMessageContaining("items_a: 1 lines repeat an earlier position")
                .hasMessageContaining("1 duplicated or unexpected");
    }

    @Test
    void aMissingChangeIsLost(@TempDir Path dir) throws IOException {
        write(dir, "changes-0-0.txt", FIRST_FILE);
        write(dir, "changes-1-0.txt", List.of(SECOND_FILE.get(1)));

        assertThatThrownBy(() -> ChangelogOutput.read(dir).assertEqualTo(HISTORY))
                .hasMessageContaining("items_a: 3 changes written, 2 delivered; 1 lost")
                .hasMessageContaining("INSERT items_a(1)");
    }

    @Test
    void changesInAnotherOrderThanCommittedFail(@TempDir Path dir) throws IOException {
        // The same changes, but the update's position before the insert's.
        write(
                dir,
                "changes-0-0.txt",
                List.of(
                        line("items_a", 0x05, 1, "UPDATE", 1, "t1.1", "t3.1"),
                        line("items_b", 0x20, 1, "INSERT", 2, "-", "t2.1")));
        write(dir, "changes-1-0.txt", SECOND_FILE);

        assertThatThrownBy(() -> ChangelogOutput.read(dir).assertEqualTo(HISTORY))
                .hasMessageContaining("0 lost")
                .hasMessageContaining("first difference at change #0");
    }

    @Test
    void eventsOfNoTableAreUnexpected(@TempDir Path dir) throws IOException {
        write(dir, "changes-0-0.txt", FIRST_FILE);
        write(dir, "changes-1-0.txt", SECOND_FILE);
        write(dir, "changes-1-1.txt", List.of(line("-", 0x40, 1, "TRUNCATE", 0, "-", "-")));

        assertThatThrownBy(() -> ChangelogOutput.read(dir).assertEqualTo(HISTORY))
                .hasMessageContaining("unexpected table '-'");
    }

    @Test
    void aCommittedPrefixPassesAndAGapDoesNot(@TempDir Path prefix, @TempDir Path gap)
            throws IOException {
        write(prefix, "changes-0-0.txt", List.of(SECOND_FILE.get(0), FIRST_FILE.get(1)));
        assertThat(ChangelogOutput.read(prefix).assertPrefixOf(HISTORY))
                .isEqualTo(Map.of("items_a", 1, "items_b", 1));

        write(gap, "changes-0-0.txt", List.of(FIRST_FILE.get(0)));
        assertThatThrownBy(() -> ChangelogOutput.read(gap).assertPrefixOf(HISTORY))
                .hasMessageContaining("not a prefix");
    }

    private static String line(
            String table, long lsn, long index, String kind, int id, String before, String after) {
        return new ChangeLine(table, lsn, index, kind, Integer.toString(id), before, after)
                .format();
    }

    private static void write(Path dir, String name, List<String> lines) throws IOException {
        Files.write(dir.resolve(name), lines);
    }
}
