package io.pgwalstream.changes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Test helper: the spill files under a configured spill directory, in any run directory. */
final class SpillDirectories {

    private SpillDirectories() {}

    static List<Path> spillFiles(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> p.getFileName().toString().endsWith(SpillFiles.FILE_SUFFIX))
                    .collect(Collectors.toList());
        }
    }

    static long entries(Path root) throws IOException {
        try (Stream<Path> all = Files.list(root)) {
            return all.count();
        }
    }
}
