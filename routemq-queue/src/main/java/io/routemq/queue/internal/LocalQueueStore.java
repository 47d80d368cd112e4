package io.routemq.queue.internal;

import io.routemq.queue.DeadLetterQueue;
import io.routemq.queue.DurableQueue;
import io.routemq.queue.QueueClosedException;
import io.routemq.queue.OverflowPolicy;
import io.routemq.queue.QueueConfig;
import io.routemq.queue.QueueException;
import io.routemq.queue.QueueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;

/**
 * The local-disk {@link QueueStore}. Layout: {@code <dir>/routemq-queue.lock}, and per sink
 * {@code <dir>/<sink>/queue/}, {@code <dir>/<sink>/dlq/} and {@code <dir>/<sink>/dlq-removed/}, each a segment
 * log directory with {@code *.seg} files and {@code committed.ckpt}.
 *
 * <p>Public only because {@code io.routemq.queue.QueueStore}, in this module, uses it; not API: other modules must
 * not use it.
 */
public final class LocalQueueStore implements QueueStore {
    private static final Logger LOG = LoggerFactory.getLogger(LocalQueueStore.class);
    private static final Pattern SINK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private record Sink(LocalDurableQueue queue, LocalDeadLetterQueue deadLetters, List<SegmentLog> logs) { }

    private final QueueConfig config;
    private final Path dir;
    private final StoreLock lock;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Sink> sinks = new LinkedHashMap<>();
    private boolean closed;

    private LocalQueueStore(QueueConfig config, StoreLock lock) {
        this.config = config;
        this.dir = config.dir();
        this.lock = lock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "routemq-queue-timeouts");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the store: creates and locks the directory.
     *
     * @param config configuration
     * @return the store
     */
    public static LocalQueueStore open(QueueConfig config) {
        Path dir = config.dir().toAbsolutePath();
        Dirs.ensureDirectory(dir, "queue directory");
        StoreLock lock = StoreLock.acquire(dir);
        return new LocalQueueStore(config.toBuilder().dir(dir).build(), lock);
    }

    @Override
    public QueueConfig config() {
        return config;
    }

    @Override
    public DurableQueue queue(String sinkName) {
        return sink(sinkName, config).queue;
    }

    @Override
    public DurableQueue queue(String sinkName, long maxBytes, OverflowPolicy overflow) {
        return sink(sinkName, config.toBuilder().maxBytes(maxBytes).overflowPolicy(overflow).build()).queue;
    }

    @Override
    public DeadLetterQueue deadLetters(String sinkName) {
        return sink(sinkName, config).deadLetters;
    }

    /** The sink's queues, opened with {@code sinkConfig} on first use (later calls get the open ones). */
    private synchronized Sink sink(String name, QueueConfig sinkConfig) {
        if (closed) {
            throw new QueueClosedException("queue store " + dir + " is closed");
        }
        if (name == null || !SINK_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid sink name '" + name + "' for the queue in " + dir
                    + ": use 1-100 characters from [A-Za-z0-9._-], starting with a letter or digit");
        }
        Sink s = sinks.get(name);
        if (s == null) {
            s = openSink(name, sinkConfig);
            sinks.put(name, s);
        }
        return s;
    }

    private Sink openSink(String name, QueueConfig config) {
        Path sinkDir = dir.resolve(name);
        List<SegmentLog> opened = new ArrayList<>();
        try {
            SegmentLog queueLog = SegmentLog.open(sinkDir.resolve("queue"), "queue of sink '" + name + "'", name,
                    config.segmentBytes(), config.fsync(), config.maxBytes(), config.listener(), true,
                    r -> {
                        Thread t = new Thread(r, "routemq-queue-writer-" + name);
                        t.setDaemon(true);
                        return t;
                    });
            opened.add(queueLog);
            SegmentLog dlqLog = SegmentLog.open(sinkDir.resolve("dlq"), "dead-letter queue of sink '" + name + "'",
                    name + "/dlq", config.segmentBytes(), config.fsync(), Long.MAX_VALUE, config.listener(), false,
                    Thread.ofVirtual().name("routemq-dlq-writer-" + name).factory());
            opened.add(dlqLog);
            SegmentLog removedLog = SegmentLog.open(sinkDir.resolve("dlq-removed"),
                    "dead-letter removals of sink '" + name + "'", name + "/dlq-removed",
                    Math.min(config.segmentBytes(), 4L << 20), config.fsync(), Long.MAX_VALUE, config.listener(),
                    false, Thread.ofVirtual().name("routemq-dlq-removed-writer-" + name).factory());
            opened.add(removedLog);
            LocalDurableQueue queue = new LocalDurableQueue(name, queueLog, config, scheduler);
            LocalDeadLetterQueue dlq = new LocalDeadLetterQueue(name, dlqLog, removedLog, queue, config.listener());
            queue.attach(dlq);
            LOG.info("opened queue of sink '{}' in {}: next offset {}, committed {}, {} records / {} bytes"
                    + " uncommitted, {} dead letters", name, sinkDir, queueLog.nextOffset(), queueLog.committed(),
                    queueLog.sizeRecords(), queueLog.sizeBytes(), dlq.size());
            return new Sink(queue, dlq, List.copyOf(opened));
        } catch (RuntimeException e) {
            for (SegmentLog l : opened) {
                l.close();
            }
            throw e;
        }
    }

    @Override
    public synchronized Set<String> sinks() {
        Set<String> names = new TreeSet<>(sinks.keySet());
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (SINK_NAME.matcher(n).matches() && Files.isDirectory(p.resolve("queue"))) {
                    names.add(n);
                }
            }
        } catch (IOException e) {
            throw new QueueException("cannot list sinks in queue directory " + dir + ": " + e, e);
        }
        return names;
    }

    @Override
    public void close() {
        List<Sink> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(sinks.values());
            sinks.clear();
        }
        for (Sink s : toClose) {
            for (SegmentLog l : s.logs) {
                l.close();
            }
        }
        scheduler.shutdownNow();
        try {
            lock.close();
        } catch (IOException e) {
            LOG.warn("could not release lock of queue directory {}: {}", dir, e.toString());
        }
    }

    @Override
    public String toString() {
        return "QueueStore[" + dir + "]";
    }
}
