package io.pgwalstream.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The directory of one cluster: {@code conf/} (config.yaml, log4j.properties), {@code log/} (one
 * {@code .log} and one {@code .out} per JVM), {@code checkpoints/}, {@code savepoints/}, {@code
 * upload/} (jars uploaded over REST) and {@code tmp/} (Flink's {@code io.tmp.dirs}). It is kept
 * after the cluster stopped, for post-mortems.
 */
record ClusterLayout(Path root) {

    static ClusterLayout create(Path root) {
        ClusterLayout layout = new ClusterLayout(root);
        try {
            for (Path dir :
                    new Path[] {
                        layout.conf(),
                        layout.logs(),
                        layout.checkpoints(),
                        layout.savepoints(),
                        layout.uploads(),
                        layout.tmp()
                    }) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return layout;
    }

    Path conf() {
        return root.resolve("conf");
    }

    Path logs() {
        return root.resolve("log");
    }

    Path checkpoints() {
        return root.resolve("checkpoints");
    }

    Path savepoints() {
        return root.resolve("savepoints");
    }

    Path uploads() {
        return root.resolve("upload");
    }

    Path tmp() {
        return root.resolve("tmp");
    }

    Path logFile(String process) {
        return logs().resolve(process + ".log");
    }

    Path outFile(String process) {
        return logs().resolve(process + ".out");
    }
}
