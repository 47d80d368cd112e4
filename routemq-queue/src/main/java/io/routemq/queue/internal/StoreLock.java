package io.routemq.queue.internal;

import io.routemq.queue.QueueException;
import io.routemq.queue.QueueLockedException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive OS file lock on {@code <dir>/routemq-queue.lock}; the file holds the owner's pid for the error
 * message. The OS releases the lock when the process dies, so a {@code kill -9} leaves no stale lock.
 */
final class StoreLock implements AutoCloseable {
    static final String FILE_NAME = "routemq-queue.lock";

    /**
     * Lock files held by this JVM. The one piece of static state in the module, and on purpose: OS file locks
     * belong to the process, and on Linux closing ANY channel on a locked file releases the process's lock, so
     * an in-process second open must be refused before it opens the lock file.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    static StoreLock acquire(Path dir) {
        Path path = dir.resolve(FILE_NAME);
        Path key;
        try {
            key = dir.toRealPath().resolve(FILE_NAME);
        } catch (IOException e) {
            throw new QueueException("cannot resolve queue directory " + dir + ": " + e, e);
        }
        if (!HELD.add(key)) {
            throw new QueueLockedException("queue directory " + dir + " is already open in this process"
                    + " - use the QueueStore that is open, or close it first");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            HELD.remove(key);
            throw new QueueException("cannot open lock file " + path + ": " + e
                    + " - check that the queue directory is writable", e);
        }
        try {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                // do not close ch: on Linux that would release the other holder's lock
                HELD.remove(key);
                throw new QueueLockedException("queue directory " + dir + " is already locked in this process"
                        + " by other code - close it first");
            }
            if (lock == null) {
                HELD.remove(key);
                String holder = readHolder(ch);
                ch.close();
                throw new QueueLockedException("queue directory " + dir + " is in use by another process ("
                        + holder + ", lock file " + path + "). Only one process may open it at a time: stop"
                        + " the gateway before running 'routemq dlq', then try again");
            }
            ch.truncate(0);
            byte[] pid = ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            ch.write(ByteBuffer.wrap(pid), 0);
            return new StoreLock(key, ch, lock);
        } catch (IOException e) {
            HELD.remove(key);
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new QueueException("cannot lock queue directory " + dir + " via " + path + ": " + e, e);
        }
    }

    private static String readHolder(FileChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(64);
            ch.read(buf, 0);
            String s = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
            return s.isEmpty() ? "pid unknown" : s;
        } catch (IOException e) {
            return "pid unknown";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                HELD.remove(path);
            }
        }
    }
}
