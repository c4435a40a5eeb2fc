package io.pgwalstream.e2e.sequence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SequenceOutputTest {

    @TempDir Path dir;

    @Test
    void acceptsEveryElementOnceAcrossFilesInAnyOrder() throws Exception {
        write("sequence-a-0-0.txt", "0,0", "1,0", "0,1");
        write("sub/sequence-b-1-0.txt", "1,2", "1,1", "0,2");

        SequenceOutput output = SequenceOutput.read(dir);

        output.assertExactly(2, 3);
        assertThat(output.lines()).isEqualTo(6);
        assertThat(output.files()).isEqualTo(2);
    }

    @Test
    void ignoresHiddenInProgressAndPendingFiles() throws Exception {
        write("sequence-a-0-0.txt", "0,0", "0,1");
        write(".sequence-a-0-1.txt.inprogress.1234", "0,2", "0,1");

        SequenceOutput.read(dir).assertExactly(1, 2);
    }

    @Test
    void reportsMissingElements() throws Exception {
        write("part", "0,0", "0,2", "1,0", "1,1", "1,2");

        assertThatThrownBy(() -> SequenceOutput.read(dir).assertExactly(2, 3))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("split 0: 1 missing, first [1]")
                .hasMessageNotContaining("split 1");
    }

    @Test
    void reportsDuplicatesAndElementsBeyondTheEnd() throws Exception {
        write("part", "0,0", "0,1", "0,1", "0,2", "0,3");

        assertThatThrownBy(() -> SequenceOutput.read(dir).assertExactly(1, 3))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("split 0: 2 unexpected or duplicated, first [1, 3]");
    }

    @Test
    void reportsUnexpectedSplits() throws Exception {
        write("part", "0,0", "5,0");

        assertThatThrownBy(() -> SequenceOutput.read(dir).assertExactly(1, 1))
                .hasMessageContaining("unexpected split 5");
    }

    @Test
    void measuresGapFreePrefixes() throws Exception {
        write("part", "0,0", "0,1", "0,2", "1,0");

        assertThat(SequenceOutput.read(dir).assertPrefixes(3))
                .containsEntry(0, 3L)
                .containsEntry(1, 1L)
                .containsEntry(2, 0L);
    }

    @Test
    void aPrefixWithAGapIsNoPrefix() throws Exception {
        write("part", "0,0", "0,2");

        assertThatThrownBy(() -> SequenceOutput.read(dir).assertPrefixes(1))
                .hasMessageContaining("split 0: 1 missing, first [1]");
    }

    @Test
    void aMissingDirectoryIsAnEmptyOutput() {
        SequenceOutput output = SequenceOutput.read(dir.resolve("absent"));

        assertThat(output.assertPrefixes(2)).containsEntry(0, 0L).containsEntry(1, 0L);
        assertThatThrownBy(() -> output.assertExactly(1, 1)).hasMessageContaining("1 missing");
    }

    private void write(String name, String... lines) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, java.util.List.of(lines));
    }
}
