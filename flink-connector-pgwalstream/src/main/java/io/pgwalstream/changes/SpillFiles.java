package io.pgwalstream.changes;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where one assembler's spill files live, and the removal of those a dead process left behind.
 *
 * <p>Spill files hold row contents, so they are kept apart and private: while an assembler has
 * spill files, they sit in a <em>run directory</em> {@value #RUN_DIRECTORY_PREFIX}{@code <random>}
 * of its own under the configured spill directory, owner-only ({@code rwx------}, files {@code
 * rw-------}) where the file system has POSIX permissions. The run directory holds a lock file,
 * {@value #LOCK_FILE}, that the assembler keeps locked ({@link FileChannel#lock()}) for as long as
 * the directory exists; the directory goes once its last spill file is deleted.
 *
 * <p>A killed TaskManager deletes nothing, but the operating system releases its locks. So when an
 * assembler starts it {@linkplain #sweepStale sweeps}: every run directory whose lock it can take
 * is dead, and its spill files and lock file are deleted. A run directory of a live process
 * (locked) or of this JVM (known without touching its lock file) is left alone, as is everything
 * not named like the connector's files: the spill directory may be shared (the default is {@code
 * java.io.tmpdir}).
 *
 * <p>Owned by the assembler's thread, like {@link BufferMemory}.
 */
final class SpillFiles implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpillFiles.class);

    static final String RUN_DIRECTORY_PREFIX = "pgwalstream-spill-";
    static final String LOCK_FILE = "owner.lock";
    static final String FILE_PREFIX = "pgwalstream-";
    static final String FILE_SUFFIX = ".spill";

    private static final String DIRECTORY_PERMISSIONS = "rwx------";
    private static final String FILE_PERMISSIONS = "rw-------";

    /**
     * The run directories this JVM holds. A sweep never opens their lock files: closing any channel
     * on a file may release every lock the process holds on it (see {@link FileLock}), so merely
     * looking would unlock a live directory for other processes' sweeps.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path root;
    private Path runDirectory;
    private Path runKey;
    private FileChannel lockChannel;
    private boolean posix;
    private int files;

    /** Sweeps the stale run directories under {@code root} (which may not exist yet). */
    SpillFiles(Path root) {
        this.root = root;
        sweepStale(root);
    }

    /** The run directory, or null while this assembler has no spill file. */
    Path runDirectory() {
        return runDirectory;
    }

    /** Creates an empty owner-only spill file in the run directory, creating that first. */
    Path create(String label) throws IOException {
        if (runDirectory == null) {
            open();
        }
        Path file =
                Files.createTempFile(
                        runDirectory, FILE_PREFIX + label + '-', FILE_SUFFIX, fileAttributes());
        files++;
        return file;
    }

    /** Deletes a spill file {@link #create} made; the last one takes the run directory along. */
    void delete(Path file) throws IOException {
        if (runDirectory == null) {
            // Closed already, which deleted the file with its directory.
            Files.deleteIfExists(file);
            return;
        }
        try {
            Files.deleteIfExists(file);
        } finally {
            files--;
            if (files == 0) {
                closeRunDirectory();
            }
        }
    }

    /** Deletes the run directory and whatever spill files are left in it. Idempotent. */
    @Override
    public void close() {
        if (runDirectory != null) {
            deleteSpillFiles(runDirectory);
            files = 0;
            closeRunDirectory();
        }
    }

    private void open() throws IOException {
        posix = posix(root);
        if (!Files.isDirectory(root)) {
            // Created as private as the run directories; an existing one is left as it is.
            Files.createDirectories(root, directoryAttributes());
        }
        Path directory =
                Files.createTempDirectory(root, RUN_DIRECTORY_PREFIX, directoryAttributes());
        // Before the lock file exists: a sweep skips a directory without one.
        Path key = key(directory);
        HELD_HERE.add(key);
        FileChannel channel = null;
        try {
            channel =
                    FileChannel.open(
                            directory.resolve(LOCK_FILE),
                            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                            fileAttributes());
            channel.lock();
            // For whoever looks at the directory: which process holds it.
            channel.write(
                    ByteBuffer.wrap(
                            ("pid " + ProcessHandle.current().pid() + "\n")
                                    .getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            Files.deleteIfExists(directory.resolve(LOCK_FILE));
            Files.deleteIfExists(directory);
            HELD_HERE.remove(key);
            throw e;
        }
        runDirectory = directory;
        runKey = key;
        lockChannel = channel;
    }

    private void closeRunDirectory() {
        Path directory = runDirectory;
        runDirectory = null;
        try {
            // Unlock first: a locked file cannot be deleted everywhere. A sweep that takes the
            // lock in between finds a dead directory and deletes the same files; either side
            // tolerates the other having been first.
            lockChannel.close();
            Files.deleteIfExists(directory.resolve(LOCK_FILE));
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete spill directory " + directory, e);
        } finally {
            lockChannel = null;
            HELD_HERE.remove(runKey);
            runKey = null;
        }
    }

    /**
     * Deletes the run directories under {@code root} that no live process holds. Never fails: a
     * directory that cannot be judged or deleted is logged and left.
     *
     * @return how many run directories were deleted
     */
    static int sweepStale(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> entries =
                Files.newDirectoryStream(root, RUN_DIRECTORY_PREFIX + "*")) {
            entries.forEach(candidates::add);
        } catch (IOException e) {
            LOG.warn("Cannot list {} for stale spill files: {}", root, e.toString());
            return 0;
        }
        int swept = 0;
        for (Path directory : candidates) {
            try {
                if (sweepIfStale(directory)) {
                    swept++;
                }
            } catch (NoSuchFileException e) {
                // Deleted meanwhile by its owner or another sweep.
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("Cannot remove stale spill directory {}: {}", directory, e.toString());
            }
        }
        return swept;
    }

    private static boolean sweepIfStale(Path directory) throws IOException {
        Path lock = directory.resolve(LOCK_FILE);
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(lock, LinkOption.NOFOLLOW_LINKS)) {
            // Not ours, or a run directory a moment before its lock file exists.
            return false;
        }
        if (HELD_HERE.contains(key(directory))) {
            return false; // an assembler of this JVM holds it
        }
        try (FileChannel channel =
                FileChannel.open(lock, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock held;
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return false; // this JVM holds it, though not through this class
            }
            if (held == null) {
                return false; // another live process holds it
            }
            int deleted = deleteSpillFiles(directory);
            LOG.info(
                    "Deleting stale spill directory {} ({} spill file(s)): its owner is gone",
                    directory,
                    deleted);
        } catch (NoSuchFileException e) {
            return false; // its owner or another sweep deleted it meanwhile
        }
        Files.deleteIfExists(lock);
        try {
            Files.deleteIfExists(directory);
        } catch (DirectoryNotEmptyException e) {
            LOG.warn("Left {} in place: it holds files the connector did not write", directory);
            return false;
        }
        return true;
    }

    /** Deletes the regular files named like spill files in {@code directory}, nothing else. */
    private static int deleteSpillFiles(Path directory) {
        int deleted = 0;
        try (DirectoryStream<Path> entries =
                Files.newDirectoryStream(directory, FILE_PREFIX + "*" + FILE_SUFFIX)) {
            for (Path file : entries) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        && Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the spill files in " + directory, e);
        }
        return deleted;
    }

    /** The same for every spelling of the directory's path (relative, through links). */
    private static Path key(Path directory) throws IOException {
        return directory.toRealPath();
    }

    private FileAttribute<?>[] directoryAttributes() {
        return posix ? new FileAttribute<?>[] {permissions(DIRECTORY_PERMISSIONS)} : none();
    }

    private FileAttribute<?>[] fileAttributes() {
        return posix ? new FileAttribute<?>[] {permissions(FILE_PERMISSIONS)} : none();
    }

    /** Whether the file system {@code path} is (or would be created) on has POSIX permissions. */
    private static boolean posix(Path path) {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing != null
                    && Files.getFileStore(existing).supportsFileAttributeView("posix");
        } catch (IOException e) {
            return false;
        }
    }

    private static FileAttribute<?> permissions(String text) {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(text));
    }

    private static FileAttribute<?>[] none() {
        return new FileAttribute<?>[0];
    }

    /** For the message of a failed spill. */
    @Override
    public String toString() {
        return runDirectory != null ? runDirectory.toString() : root.toString();
    }
}
