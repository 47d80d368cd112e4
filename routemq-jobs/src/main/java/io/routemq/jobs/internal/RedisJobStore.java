package io.routemq.jobs.internal;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import io.routemq.jobs.FailedJob;
import io.routemq.jobs.JobStore;
import io.routemq.jobs.QueueStats;
import io.routemq.jobs.Reservation;
import io.routemq.redis.RedisConnections;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The redis driver: each queue is a stream read by the consumer group {@code workers} (XADD, XREADGROUP, XACK);
 * delayed jobs and retries wait in a sorted set by time and are moved to the stream, atomically by a Lua script,
 * once due. A reserved job is an entry pending on its consumer; when its worker dies, the entry's idle time grows
 * past the lease and another worker takes it with XAUTOCLAIM. Running workers renew their leases with XCLAIM JUSTID.
 *
 * <p>Keys (prefix {@code routemq:jobs:}): {@code q:<queue>} the stream (fields {@code job}, the stored JSON, {@code id},
 * and {@code a}, the attempts made before it went in); {@code q:<queue>:delayed} the sorted set (member
 * {@code <attempts>|<id>|<json>}, score the time in ms); {@code failed} a hash id → failed job; {@code done:<queue>} the
 * completed count. Blocking reads go on one dedicated connection per queue; everything else on the shared one.
 */
public final class RedisJobStore implements JobStore {
    private static final String GROUP = "workers";
    private static final String MOVE_DUE = """
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 500)
            for _, m in ipairs(due) do
              local s1 = string.find(m, '|', 1, true)
              local s2 = string.find(m, '|', s1 + 1, true)
              redis.call('XADD', KEYS[2], '*', 'job', string.sub(m, s2 + 1), 'a', string.sub(m, 1, s1 - 1), 'id', string.sub(m, s1 + 1, s2 - 1))
              redis.call('ZREM', KEYS[1], m)
            end
            return #due""";
    private static final String COMPLETE = """
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            redis.call('XDEL', KEYS[1], ARGV[2])
            return redis.call('INCR', KEYS[2])""";
    private static final String RELEASE = """
            if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
            redis.call('XDEL', KEYS[1], ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
            return 1""";
    private static final String FAIL = """
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            redis.call('XDEL', KEYS[1], ARGV[2])
            redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
            return 1""";

    private final RedisConnections redis;
    private final String prefix;
    private final String consumer;
    private final Map<String, StatefulRedisConnection<String, String>> readers = new ConcurrentHashMap<>();
    private final Set<String> groups = ConcurrentHashMap.newKeySet();
    private final Map<String, long[]> lastMove = new ConcurrentHashMap<>();
    private final Map<String, long[]> lastClaim = new ConcurrentHashMap<>();

    private RedisJobStore(RedisConnections redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
        this.consumer = ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The store on these connections (not closed by {@link #close()}, except the dedicated readers). */
    public static RedisJobStore open(RedisConnections redis, String keyPrefix) {
        return new RedisJobStore(redis, keyPrefix);
    }

    @Override
    public String driver() {
        return "redis";
    }

    private String stream(String queue) {
        return prefix + "q:" + queue;
    }

    private String delayed(String queue) {
        return prefix + "q:" + queue + ":delayed";
    }

    private String failedKey() {
        return prefix + "failed";
    }

    private String doneKey(String queue) {
        return prefix + "done:" + queue;
    }

    private RedisCommands<String, String> sync() {
        return redis.shared().sync();
    }

    @Override
    public CompletableFuture<Void> push(String id, String queue, String raw, Instant availableAt) {
        try {
            var async = redis.shared().async();
            if (availableAt.toEpochMilli() <= System.currentTimeMillis()) {
                return async.xadd(stream(queue), Map.of("job", raw, "a", "0", "id", id)).toCompletableFuture().thenApply(x -> null);
            }
            return async.zadd(delayed(queue), (double) availableAt.toEpochMilli(), "0|" + id + "|" + raw).toCompletableFuture().thenApply(x -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void ensureGroup(String queue) {
        if (groups.contains(queue)) return;
        try {
            sync().xgroupCreate(XReadArgs.StreamOffset.from(stream(queue), "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException e) {
            // exists
        }
        groups.add(queue);
    }

    private static boolean due(Map<String, long[]> last, String queue, long everyMillis) {
        long now = System.currentTimeMillis();
        long[] t = last.computeIfAbsent(queue, q -> new long[]{0});
        synchronized (t) {
            if (now - t[0] < everyMillis) return false;
            t[0] = now;
            return true;
        }
    }

    @Override
    public List<Reservation> reserve(String queue, int max, Duration lease, Duration wait) throws InterruptedException {
        ensureGroup(queue);
        String key = stream(queue);
        if (due(lastMove, queue, Math.min(50, Math.max(1, wait.toMillis())))) {
            sync().eval(MOVE_DUE, ScriptOutputType.INTEGER, new String[]{delayed(queue), key}, Long.toString(System.currentTimeMillis()));
        }
        Consumer<String> me = Consumer.from(GROUP, consumer);
        List<Reservation> got = new ArrayList<>();
        if (due(lastClaim, queue, Math.max(200, lease.toMillis() / 4))) {
            var claimed = sync().xautoclaim(key, XAutoClaimArgs.Builder.xautoclaim(me, lease, "0-0").count(max));
            for (StreamMessage<String, String> m : claimed.getMessages()) {
                if (m.getBody() == null || m.getBody().get("job") == null) continue;
                List<PendingMessage> p = sync().xpending(key, GROUP, Range.create(m.getId(), m.getId()), Limit.from(1));
                long deliveries = p.isEmpty() ? 1 : p.get(0).getRedeliveryCount();
                got.add(reservation(queue, m, deliveries));
            }
            if (!got.isEmpty()) return got;
        }
        var reader = readers.computeIfAbsent(queue, q -> redis.dedicated());
        long block = Math.max(1, Math.min(wait.toMillis(), redis.config().commandTimeout().toMillis() / 2));
        List<StreamMessage<String, String>> read;
        try {
            read = reader.sync().xreadgroup(me, XReadArgs.Builder.count(max).block(block), XReadArgs.StreamOffset.lastConsumed(key));
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("NOGROUP")) groups.remove(queue);
            throw e;
        }
        if (Thread.interrupted()) throw new InterruptedException();
        for (StreamMessage<String, String> m : read) {
            if (m.getBody() == null || m.getBody().get("job") == null) continue;
            got.add(reservation(queue, m, 1));
        }
        return got;
    }

    private static Reservation reservation(String queue, StreamMessage<String, String> m, long deliveries) {
        String raw = m.getBody().get("job");
        int before = Integer.parseInt(m.getBody().getOrDefault("a", "0"));
        return new Reservation(m.getBody().getOrDefault("id", m.getId()), queue, raw, before + (int) deliveries, m.getId());
    }

    @Override
    public void extend(List<Reservation> running, Duration lease) {
        Map<String, List<String>> byQueue = new java.util.HashMap<>();
        for (Reservation r : running) byQueue.computeIfAbsent(r.queue(), q -> new ArrayList<>()).add((String) r.handle());
        for (Map.Entry<String, List<String>> e : byQueue.entrySet()) {
            sync().xclaim(stream(e.getKey()), Consumer.from(GROUP, consumer), XClaimArgs.Builder.minIdleTime(0).justid(),
                    e.getValue().toArray(String[]::new));
        }
    }

    @Override
    public void complete(Reservation job) {
        sync().eval(COMPLETE, ScriptOutputType.INTEGER, new String[]{stream(job.queue()), doneKey(job.queue())}, GROUP, (String) job.handle());
    }

    @Override
    public void release(Reservation job, Instant availableAt, boolean countAttempt) {
        int attempts = countAttempt ? job.attempts() : job.attempts() - 1;
        sync().eval(RELEASE, ScriptOutputType.INTEGER, new String[]{stream(job.queue()), delayed(job.queue())}, GROUP,
                (String) job.handle(), Long.toString(availableAt.toEpochMilli()), Math.max(0, attempts) + "|" + job.id() + "|" + job.raw());
    }

    @Override
    public void fail(Reservation job, String type, String reason) {
        String f = FailedJobCodec.write(new FailedJob(job.id(), job.queue(), type, job.attempts(), FailedJobCodec.reason(reason),
                Instant.now(), job.raw()));
        sync().eval(FAIL, ScriptOutputType.INTEGER, new String[]{stream(job.queue()), failedKey()}, GROUP, (String) job.handle(), job.id(), f);
    }

    private List<FailedJob> allFailed() {
        List<FailedJob> all = new ArrayList<>();
        for (String v : sync().hvals(failedKey())) all.add(FailedJobCodec.read(v));
        all.sort(Comparator.comparing(FailedJob::failedAt).reversed());
        return all;
    }

    @Override
    public List<FailedJob> failed(int limit) {
        List<FailedJob> all = allFailed();
        return all.size() > limit ? all.subList(0, limit) : all;
    }

    @Override
    public boolean retry(String id) {
        String v = sync().hget(failedKey(), id);
        if (v == null) return false;
        FailedJob f = FailedJobCodec.read(v);
        sync().xadd(stream(f.queue()), Map.of("job", f.raw(), "a", "0", "id", f.id()));
        sync().hdel(failedKey(), id);
        return true;
    }

    @Override
    public int retryAll() {
        int n = 0;
        for (String id : sync().hkeys(failedKey())) if (retry(id)) n++;
        return n;
    }

    @Override
    public boolean forget(String id) {
        return sync().hdel(failedKey(), id) > 0;
    }

    @Override
    public int flush() {
        long n = sync().hlen(failedKey());
        sync().del(failedKey());
        return (int) n;
    }

    @Override
    public List<QueueStats> stats(List<String> queues) {
        Set<String> names = new LinkedHashSet<>(queues);
        ScanIterator<String> keys = ScanIterator.scan(sync(), ScanArgs.Builder.matches(prefix + "q:*").limit(500));
        while (keys.hasNext()) {
            String k = keys.next();
            if (!k.endsWith(":delayed")) names.add(k.substring(prefix.length() + 2));
        }
        Map<String, Long> failedBy = new java.util.HashMap<>();
        for (FailedJob f : allFailed()) {
            failedBy.merge(f.queue(), 1L, Long::sum);
            names.add(f.queue());
        }
        List<QueueStats> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (String q : names) {
            long len = sync().xlen(stream(q));
            long pending = 0;
            try {
                pending = sync().xpending(stream(q), GROUP).getCount();
            } catch (RedisCommandExecutionException e) {
                // no group yet: nothing is running
            }
            long dueNow = sync().zcount(delayed(q), Range.create(Double.NEGATIVE_INFINITY, (double) now));
            long later = sync().zcard(delayed(q)) - dueNow;
            String done = sync().get(doneKey(q));
            out.add(new QueueStats(q, len - pending + dueNow, later, pending, failedBy.getOrDefault(q, 0L),
                    done == null ? 0 : Long.parseLong(done)));
        }
        return out;
    }

    @Override
    public void close() {
        for (StatefulRedisConnection<String, String> c : readers.values()) {
            try {
                c.close();
            } catch (RuntimeException e) {
                // closing
            }
        }
        readers.clear();
    }
}
