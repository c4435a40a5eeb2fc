package io.pgwalstream.e2e.changelog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The committed files of a file sink's directory: Flink hides in-progress and pending part files
 * behind a leading {@code .} and marks with a leading {@code _}; everything else is committed and
 * never changes again.
 */
final class CommittedFiles {

    private static final int ATTEMPTS = 5;

    private CommittedFiles() {}

    /**
     * The committed files under {@code directory} (recursively), sorted; none for a missing
     * directory. A running sink renames its hidden files while they are listed: a listing that
     * meets a vanished file is repeated.
     */
    static List<Path> list(Path directory) {
        for (int attempt = 1; ; attempt++) {
            try {
                return listOnce(directory);
            } catch (UncheckedIOException | IOException e) {
                Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
                if (!(cause instanceof NoSuchFileException) || attempt == ATTEMPTS) {
                    throw new UncheckedIOException(
                            "Cannot list the files in " + directory,
                            cause instanceof IOException io ? io : new IOException(cause));
                }
            }
        }
    }

    private static List<Path> listOnce(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(directory)) {
            return all.filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> !f.getFileName().toString().startsWith("_"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
    }
}
