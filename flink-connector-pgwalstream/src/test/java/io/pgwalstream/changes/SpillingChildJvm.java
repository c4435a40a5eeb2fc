package io.pgwalstream.changes;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Creates a spill file under the directory given as the argument, prints {@code SPILLED <path>} and
 * waits for stdin to close. {@link SpillFilesTest} kills this JVM with SIGKILL to leave the file
 * behind the way a killed TaskManager does.
 */
public final class SpillingChildJvm {

    private SpillingChildJvm() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[1].equals("sweep")) {
            System.out.println("SWEPT " + SpillFiles.sweepStale(Path.of(args[0])));
            return;
        }
        SpillFiles spillFiles = new SpillFiles(Path.of(args[0]));
        Path file = spillFiles.create("xid-7");
        Files.write(file, new byte[] {1, 2, 3});
        System.out.println("SPILLED " + file);
        System.out.flush();
        while (System.in.read() >= 0) {
            // Wait until the parent closes our stdin or kills us.
        }
    }
}
