package io.pgwalstream.changes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Spill files live in a locked, owner-only run directory; what a dead process left is deleted when
 * an assembler starts, and nothing else is.
 */
@Timeout(60)
class SpillFilesTest {

    @TempDir Path root;

    @Test
    void aKilledProcessesSpillFilesAreSweptAndALiveProcessesAreKept() throws Exception {
        Process child = childJvm().start();
        Path spilled = null;
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("SPILLED ")) {
                    spilled = Path.of(line.substring("SPILLED ".length()));
                    break;
                }
            }
            assertThat(spilled).as("the child JVM spilled").isNotNull();

            // Its owner runs: another process holds the lock.
            assertThat(SpillFiles.sweepStale(root)).isZero();
            assertThat(spilled).exists();

            child.destroyForcibly(); // SIGKILL: nothing of the child's cleans up
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(spilled).as("left behind by the kill").exists();

        // A starting assembler sweeps.
        new BufferMemory(new AssemblerSettings(1024, root));

        assertThat(spilled).doesNotExist();
        assertThat(spilled.getParent()).doesNotExist();
        assertThat(SpillDirectories.entries(root)).isZero();
    }

    @Test
    void anAssemblerOfTheSameJvmKeepsItsFilesThroughAnotherOnesSweep() throws IOException {
        try (SpillFiles live = new SpillFiles(root)) {
            Path file = live.create("xid-1");

            try (SpillFiles starting = new SpillFiles(root)) {
                assertThat(starting.runDirectory()).isNull();
            }
            assertThat(SpillFiles.sweepStale(root)).isZero();

            assertThat(file).exists();
            assertThat(live.create("xid-2")).exists().hasParent(file.getParent());
        }
        assertThat(SpillDirectories.entries(root)).as("closed: run directory removed").isZero();
    }

    /**
     * Closing any channel on a file may drop every lock the process holds on it: a sweep in the
     * owner's own JVM must not open a live lock file, or the next process to sweep would take it.
     */
    @Test
    void aSweepInTheOwnersJvmDoesNotUnlockItForOtherProcesses() throws Exception {
        try (SpillFiles live = new SpillFiles(root)) {
            Path file = live.create("xid-1");
            assertThat(SpillFiles.sweepStale(root)).isZero();

            assertThat(sweepInAnotherProcess()).isEqualTo("SWEPT 0");
            assertThat(file).exists();
        }
    }

    @Test
    void theRunDirectoryGoesWithItsLastSpillFileAndANewOneComesWithTheNext() throws IOException {
        try (SpillFiles spillFiles = new SpillFiles(root)) {
            Path first = spillFiles.create("xid-1");
            Path second = spillFiles.create("xid-2");
            Path run = spillFiles.runDirectory();
            assertThat(run.resolve(SpillFiles.LOCK_FILE)).isRegularFile();

            spillFiles.delete(first);
            assertThat(run).isDirectory();
            spillFiles.delete(second);
            assertThat(run).doesNotExist();
            assertThat(spillFiles.runDirectory()).isNull();

            Path third = spillFiles.create("xid-3");
            assertThat(third.getParent()).isNotEqualTo(run).isEqualTo(spillFiles.runDirectory());
        }
        assertThat(SpillDirectories.entries(root)).isZero();
    }

    @Test
    void onlyWhatTheConnectorWroteIsDeleted() throws IOException {
        // Someone else's files in a shared spill directory.
        Path unrelated = Files.writeString(root.resolve("notes.txt"), "keep");
        Path olderFormat = Files.writeString(root.resolve("pgwalstream-xid-5-1.spill"), "x");
        Path noLock = Files.createDirectory(root.resolve(SpillFiles.RUN_DIRECTORY_PREFIX + "new"));
        Path noLockFile = Files.writeString(noLock.resolve("pgwalstream-xid-6-1.spill"), "x");
        // A dead run directory into which something else was put.
        Path mixed = deadRunDirectory("mixed");
        Path foreign = Files.writeString(mixed.resolve("foreign.bin"), "keep");
        // A link named like a run directory is not followed.
        Path target = deadRunDirectory("target");
        Path renamedTarget = Files.move(target, root.resolve("elsewhere"));
        Files.createSymbolicLink(
                root.resolve(SpillFiles.RUN_DIRECTORY_PREFIX + "link"), renamedTarget);
        // A plain dead one.
        Path dead = deadRunDirectory("dead");

        assertThat(SpillFiles.sweepStale(root)).isOne();

        assertThat(dead).doesNotExist();
        assertThat(mixed).isDirectory();
        assertThat(foreign).exists();
        assertThat(mixed.resolve("pgwalstream-xid-1-1.spill")).doesNotExist();
        assertThat(unrelated).exists();
        assertThat(olderFormat).exists();
        assertThat(noLockFile).exists();
        assertThat(renamedTarget.resolve("pgwalstream-xid-1-1.spill")).exists();
        assertThat(renamedTarget.resolve(SpillFiles.LOCK_FILE)).exists();
    }

    @Test
    void spillFilesAndTheirDirectoriesAreOwnerOnly() throws IOException {
        assumeThat(Files.getFileStore(root).supportsFileAttributeView("posix"))
                .as("POSIX permissions")
                .isTrue();
        Path configured = root.resolve("not-there-yet");
        try (SpillFiles spillFiles = new SpillFiles(configured)) {
            Path file = spillFiles.create("xid-1");
            Path run = spillFiles.runDirectory();

            assertThat(permissions(configured)).isEqualTo("rwx------");
            assertThat(permissions(run)).isEqualTo("rwx------");
            assertThat(permissions(file)).isEqualTo("rw-------");
            assertThat(permissions(run.resolve(SpillFiles.LOCK_FILE))).isEqualTo("rw-------");
        }
    }

    @Test
    void aSpillingAssemblerUsesItsRunDirectory() throws IOException {
        BufferMemory memory = new BufferMemory(new AssemblerSettings(1024, root));
        try (TransactionBuffer buffer = memory.newBuffer("xid-9")) {
            byte[] row = new byte[100];
            buffer.append(row, 0, row.length, 1L);
            buffer.spill();

            List<Path> files = SpillDirectories.spillFiles(root);
            assertThat(files).hasSize(1).containsExactly(buffer.spillFile());
            assertThat(buffer.spillFile().getParent().getFileName().toString())
                    .startsWith(SpillFiles.RUN_DIRECTORY_PREFIX);
            assertThat(buffer.spillFile().getFileName().toString())
                    .startsWith("pgwalstream-xid-9-")
                    .endsWith(".spill");
        }
        assertThat(SpillDirectories.entries(root)).isZero();
    }

    private String sweepInAnotherProcess() throws Exception {
        Process child = childJvm("sweep").start();
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            String result = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("SWEPT ")) {
                    result = line;
                }
            }
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return result;
        } finally {
            child.destroyForcibly();
        }
    }

    private ProcessBuilder childJvm(String... extra) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SpillingChildJvm.class.getName());
        command.add(root.toString());
        command.addAll(List.of(extra));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    /** A run directory as a killed process leaves it: lock file unlocked, a spill file. */
    private Path deadRunDirectory(String name) throws IOException {
        Path directory =
                Files.createDirectory(root.resolve(SpillFiles.RUN_DIRECTORY_PREFIX + name));
        Files.writeString(directory.resolve(SpillFiles.LOCK_FILE), "pid 1\n");
        Files.write(directory.resolve("pgwalstream-xid-1-1.spill"), new byte[] {1});
        return directory;
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
