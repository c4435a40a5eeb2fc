package io.pgwalstream.e2e.sequence;

import io.pgwalstream.e2e.jobs.sequence.SequenceJob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of {@link SequenceJob}, as the arguments it is submitted with, plus the test's side of
 * its release file: the job emits {@code recordsPerSecond} per split until {@link #release()}, then
 * finishes at full speed.
 */
public record SequenceJobParameters(
        Path output,
        int splits,
        long recordsPerSplit,
        int recordsPerSecond,
        Path releaseFile,
        int parallelism) {

    public static final String ENTRY_CLASS = SequenceJob.class.getName();

    /**
     * A job that writes to {@code directory/output}, paced so that it runs until released (its
     * paced length is far beyond any test timeout).
     */
    public static SequenceJobParameters pacedUntilReleased(Path directory) {
        return new SequenceJobParameters(
                directory.resolve("output"), 2, 20_000, 50, directory.resolve("release"), 2);
    }

    public List<String> arguments() {
        List<String> arguments = new ArrayList<>();
        arguments.addAll(List.of("--output", output.toUri().toString()));
        arguments.addAll(List.of("--splits", Integer.toString(splits)));
        arguments.addAll(List.of("--records-per-split", Long.toString(recordsPerSplit)));
        arguments.addAll(List.of("--records-per-second", Integer.toString(recordsPerSecond)));
        if (releaseFile != null) {
            arguments.addAll(List.of("--release-file", releaseFile.toString()));
        }
        arguments.addAll(List.of("--parallelism", Integer.toString(parallelism)));
        return arguments;
    }

    /** Lets the job emit the rest of its records unpaced, so that it finishes. */
    public void release() {
        try {
            Files.writeString(releaseFile, "released\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
