package io.routemq.jobs.internal;

import io.routemq.jobs.FailedJob;
import io.routemq.jobs.JobStore;
import io.routemq.jobs.QueueStats;
import io.routemq.jobs.Reservation;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The local driver: jobs in an H2 MVStore file in the app's directory, workers in the app process.
 *
 * <p>Why MVStore and not the segment log of {@code routemq-queue}: a job queue needs per-job acknowledgement, delay
 * and retry, that is keyed updates and deletes in any order; the segment log is append-only with one commit
 * watermark per reader, so one slow or delayed job would hold back the watermark of every job behind it. MVStore
 * is a keyed, copy-on-write store (already a managed dependency) whose commit is atomic: after kill -9 the store
 * opens at its last commit. A dispatch completes only after a commit that includes it (commits are grouped: every
 * dispatch waiting at the time shares one). Reservations are not committed: jobs that were running when the process
 * died are ready again when it starts.
 *
 * <p>Maps: {@code jobs} id → stored JSON; {@code attempts} id → attempts; {@code ready} queue·time·id → id (sorted
 * by time, so delayed jobs are ready ones with a later time); {@code running} id → queue; {@code failed} id →
 * failed job JSON; {@code done} queue → completed count. The file is locked: one process at a time.
 */
public final class LocalJobStore implements JobStore {
    private static final Logger log = LoggerFactory.getLogger(LocalJobStore.class);
    private static final char SEP = '\u0001';

    private final MVStore store;
    private final MVMap<String, String> jobs;
    private final MVMap<String, Integer> attempts;
    private final MVMap<String, String> ready;
    private final MVMap<String, String> running;
    private final MVMap<String, String> failed;
    private final MVMap<String, Long> done;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ReentrantLock commitLock = new ReentrantLock();
    private final Condition commitWanted = commitLock.newCondition();
    private List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private final Thread committer;
    private volatile boolean closed;

    private LocalJobStore(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("jobs dir '" + dir + "' cannot be created: " + e.getMessage(), e);
        }
        Path file = dir.resolve("jobs.mv.db");
        try {
            store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        } catch (MVStoreException e) {
            throw new IllegalStateException("jobs store '" + file + "' cannot be opened (is another process using it?): " + e.getMessage(), e);
        }
        jobs = store.openMap("jobs");
        attempts = store.openMap("attempts");
        ready = store.openMap("ready");
        running = store.openMap("running");
        failed = store.openMap("failed");
        done = store.openMap("done");
        long now = System.currentTimeMillis();
        int back = 0;
        for (Map.Entry<String, String> r : running.entrySet()) {
            ready.put(key(r.getValue(), now, r.getKey()), r.getKey());
            back++;
        }
        running.clear();
        store.commit();
        if (back > 0) log.info("jobs: {} job(s) that were running when the process stopped are ready again", back);
        committer = Thread.ofPlatform().daemon().name("routemq-jobs-commit").start(this::commitLoop);
    }

    /** Opens (or creates) the store in {@code dir}. */
    public static LocalJobStore open(Path dir) {
        return new LocalJobStore(dir);
    }

    @Override
    public String driver() {
        return "local";
    }

    private static String key(String queue, long at, String id) {
        return queue + SEP + String.format("%016x", Math.max(0, at)) + SEP + id;
    }

    private static long timeOf(String key) {
        int a = key.indexOf(SEP);
        return Long.parseLong(key.substring(a + 1, a + 17), 16);
    }

    @Override
    public CompletableFuture<Void> push(String id, String queue, String raw, Instant availableAt) {
        if (closed) return CompletableFuture.failedFuture(new IllegalStateException("the jobs store is closed"));
        lock.lock();
        try {
            jobs.put(id, raw);
            attempts.put(id, 0);
            ready.put(key(queue, availableAt.toEpochMilli(), id), id);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return durable();
    }

    /** A future completed by the next commit. */
    private CompletableFuture<Void> durable() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        commitLock.lock();
        try {
            waiting.add(f);
            commitWanted.signal();
        } finally {
            commitLock.unlock();
        }
        return f;
    }

    private void commitLoop() {
        while (true) {
            List<CompletableFuture<Void>> batch;
            commitLock.lock();
            try {
                while (waiting.isEmpty() && !closed) commitWanted.awaitUninterruptibly();
                if (waiting.isEmpty()) return;
                batch = waiting;
                waiting = new ArrayList<>();
            } finally {
                commitLock.unlock();
            }
            try {
                store.commit();
                for (CompletableFuture<Void> f : batch) f.complete(null);
            } catch (RuntimeException e) {
                log.error("jobs: the local store cannot commit: {}", e.toString());
                for (CompletableFuture<Void> f : batch) f.completeExceptionally(e);
            }
        }
    }

    @Override
    public List<Reservation> reserve(String queue, int max, Duration lease, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        String prefix = queue + SEP;
        lock.lock();
        try {
            while (true) {
                long now = System.currentTimeMillis();
                List<Reservation> got = new ArrayList<>();
                long next = Long.MAX_VALUE;
                Iterator<String> keys = ready.keyIterator(ready.ceilingKey(prefix));
                while (got.size() < max && keys.hasNext()) {
                    String k = keys.next();
                    if (!k.startsWith(prefix)) break;
                    long at = timeOf(k);
                    if (at > now) {
                        next = at;
                        break;
                    }
                    String id = ready.remove(k);
                    String raw = jobs.get(id);
                    if (raw == null) continue;
                    int n = attempts.getOrDefault(id, 0) + 1;
                    attempts.put(id, n);
                    running.put(id, queue);
                    got.add(new Reservation(id, queue, raw, n, null));
                }
                if (!got.isEmpty()) return got;
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) return List.of();
                long untilDue = next == Long.MAX_VALUE ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(Math.max(1, next - now));
                changed.awaitNanos(Math.min(left, untilDue));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void extend(List<Reservation> running, Duration lease) {
        // in process: a running job is never taken over while this process lives
    }

    @Override
    public void complete(Reservation job) {
        lock.lock();
        try {
            if (running.remove(job.id()) == null) return;
            jobs.remove(job.id());
            attempts.remove(job.id());
            done.merge(job.queue(), 1L, Long::sum);
        } finally {
            lock.unlock();
        }
        durable();   // not awaited (grouped with other commits): lost in a crash, the job runs again
    }

    @Override
    public void release(Reservation job, Instant availableAt, boolean countAttempt) {
        lock.lock();
        try {
            if (running.remove(job.id()) == null) return;
            if (!countAttempt) attempts.put(job.id(), Math.max(0, job.attempts() - 1));
            ready.put(key(job.queue(), availableAt.toEpochMilli(), job.id()), job.id());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        durable();   // not awaited: lost in a crash, the job is simply ready again
    }

    @Override
    public void fail(Reservation job, String type, String reason) {
        lock.lock();
        try {
            if (running.remove(job.id()) == null) return;
            failed.put(job.id(), FailedJobCodec.write(new FailedJob(job.id(), job.queue(), type, job.attempts(),
                    FailedJobCodec.reason(reason), Instant.now(), job.raw())));
            jobs.remove(job.id());
            attempts.remove(job.id());
        } finally {
            lock.unlock();
        }
        durable();   // not awaited: lost in a crash, the job runs again
    }

    @Override
    public List<FailedJob> failed(int limit) {
        List<FailedJob> all = new ArrayList<>();
        for (String v : failed.values()) all.add(FailedJobCodec.read(v));
        all.sort(Comparator.comparing(FailedJob::failedAt).reversed());
        return all.size() > limit ? all.subList(0, limit) : all;
    }

    @Override
    public boolean retry(String id) {
        lock.lock();
        try {
            String v = failed.remove(id);
            if (v == null) return false;
            FailedJob f = FailedJobCodec.read(v);
            jobs.put(id, f.raw());
            attempts.put(id, 0);
            ready.put(key(f.queue(), System.currentTimeMillis(), id), id);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        durable().join();
        return true;
    }

    @Override
    public int retryAll() {
        int n = 0;
        for (String id : List.copyOf(failed.keySet())) if (retry(id)) n++;
        return n;
    }

    @Override
    public boolean forget(String id) {
        boolean had = failed.remove(id) != null;
        if (had) durable().join();
        return had;
    }

    @Override
    public int flush() {
        int n;
        lock.lock();
        try {
            n = failed.size();
            failed.clear();
        } finally {
            lock.unlock();
        }
        durable().join();
        return n;
    }

    @Override
    public List<QueueStats> stats(List<String> queues) {
        Set<String> names = new LinkedHashSet<>(queues);
        Map<String, long[]> c = new TreeMap<>();
        long now = System.currentTimeMillis();
        lock.lock();
        try {
            for (String k : ready.keySet()) {
                String q = k.substring(0, k.indexOf(SEP));
                c.computeIfAbsent(q, x -> new long[5])[timeOf(k) <= now ? 0 : 1]++;
            }
            for (String q : running.values()) c.computeIfAbsent(q, x -> new long[5])[2]++;
            for (String v : failed.values()) c.computeIfAbsent(FailedJobCodec.read(v).queue(), x -> new long[5])[3]++;
            for (Map.Entry<String, Long> d : done.entrySet()) c.computeIfAbsent(d.getKey(), x -> new long[5])[4] = d.getValue();
        } finally {
            lock.unlock();
        }
        names.addAll(c.keySet());
        List<QueueStats> out = new ArrayList<>();
        for (String q : names) {
            long[] v = c.getOrDefault(q, new long[5]);
            out.add(new QueueStats(q, v[0], v[1], v[2], v[3], v[4]));
        }
        return out;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        commitLock.lock();
        try {
            commitWanted.signalAll();
        } finally {
            commitLock.unlock();
        }
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            committer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
