package io.routemq.queue.internal;

import io.routemq.queue.QueueException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Directory helpers with clear errors. */
final class Dirs {
    private Dirs() {
    }

    /** Creates {@code dir} if needed and checks that it is a writable directory. */
    static void ensureDirectory(Path dir, String what) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new QueueException(what + " " + dir + " is not a directory (a file is in the way): move that file"
                    + " away or configure another queue directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (AccessDeniedException e) {
            throw new QueueException("cannot create " + what + " " + dir + ": permission denied on " + e.getFile()
                    + " - create it for the gateway's user or configure another queue directory", e);
        } catch (IOException e) {
            throw new QueueException("cannot create " + what + " " + dir + ": " + e
                    + " - check that every parent is a writable directory (not a file) or configure another queue"
                    + " directory", e);
        }
        if (!Files.isWritable(dir)) {
            throw new QueueException(what + " " + dir + " is not writable by this user - fix its permissions or"
                    + " configure another queue directory");
        }
    }

    /** Forces a directory's entries (new or deleted files) to disk. */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems refuse fsync on directories; the data files themselves are forced
            if (!(e.getMessage() != null && e.getMessage().contains("Is a directory"))) {
                throw e;
            }
        }
    }
}
