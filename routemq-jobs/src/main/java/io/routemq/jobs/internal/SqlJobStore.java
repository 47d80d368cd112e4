package io.routemq.jobs.internal;

import io.routemq.database.SqlDialect;
import io.routemq.jobs.FailedJob;
import io.routemq.jobs.JobStore;
import io.routemq.jobs.QueueStats;
import io.routemq.jobs.Reservation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The database driver (PostgreSQL, MariaDB): one row per job in {@code routemq_jobs}, taken with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED} so that workers never wait for each other's rows.
 *
 * <p>A row's {@code available_at} is when it may next be taken: the dispatch time plus the delay; when a worker
 * reserves it, the end of the lease. So a job whose worker died is taken again once its lease has run out, with no
 * separate recovery step; running workers push {@code available_at} forward to renew their leases. The tables are
 * created on first use by migration 1 ({@link SqlSchema}).
 */
public final class SqlJobStore implements JobStore {
    private static final Logger log = LoggerFactory.getLogger(SqlJobStore.class);

    private final DataSource ds;
    private final SqlSchema schema;
    private final String jobs;
    private final String failed;
    private final String counts;
    private final String worker = UUID.randomUUID().toString();
    private final Map<String, AtomicLong> done = new ConcurrentHashMap<>();
    private final Map<String, Long> flushed = new ConcurrentHashMap<>();
    private long lastFlush;

    private SqlJobStore(DataSource ds, SqlDialect dialect, String prefix) {
        this.ds = ds;
        this.schema = new SqlSchema(dialect, prefix);
        this.jobs = prefix + "jobs";
        this.failed = prefix + "failed_jobs";
        this.counts = prefix + "job_counts";
    }

    /** The store on a data source; creates the tables if they are missing. */
    public static SqlJobStore open(DataSource ds, SqlDialect dialect, String tablePrefix) {
        SqlJobStore s = new SqlJobStore(ds, dialect, tablePrefix);
        try (Connection c = ds.getConnection()) {
            s.schema.migrate(c);
        } catch (SQLException e) {
            throw new IllegalStateException("jobs: cannot create the job tables: " + e.getMessage(), e);
        }
        return s;
    }

    @Override
    public String driver() {
        return "database";
    }

    @Override
    public CompletableFuture<Void> push(String id, String queue, String raw, Instant availableAt) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + jobs
                     + " (id, queue, payload, attempts, available_at, reserved_by, created_at) VALUES (?, ?, ?, 0, ?, NULL, ?)")) {
            ps.setString(1, id);
            ps.setString(2, queue);
            ps.setString(3, raw);
            ps.setLong(4, availableAt.toEpochMilli());
            ps.setLong(5, System.currentTimeMillis());
            ps.executeUpdate();
            return CompletableFuture.completedFuture(null);
        } catch (SQLException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public List<Reservation> reserve(String queue, int max, Duration lease, Duration wait) throws InterruptedException {
        List<Reservation> got = reserveNow(queue, max, lease);
        flushCounts(false);
        if (got.isEmpty()) Thread.sleep(Math.max(1, wait.toMillis()));
        return got;
    }

    private List<Reservation> reserveNow(String queue, int max, Duration lease) {
        long now = System.currentTimeMillis();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Reservation> got = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id, payload, attempts FROM " + jobs
                        + " WHERE queue = ? AND available_at <= ? ORDER BY available_at, id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                    ps.setString(1, queue);
                    ps.setLong(2, now);
                    ps.setInt(3, max);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) got.add(new Reservation(rs.getString(1), queue, rs.getString(2), rs.getInt(3) + 1, worker));
                    }
                }
                if (!got.isEmpty()) {
                    try (PreparedStatement up = c.prepareStatement("UPDATE " + jobs
                            + " SET attempts = attempts + 1, available_at = ?, reserved_by = ? WHERE id = ?")) {
                        for (Reservation r : got) {
                            up.setLong(1, now + lease.toMillis());
                            up.setString(2, worker);
                            up.setString(3, r.id());
                            up.addBatch();
                        }
                        up.executeBatch();
                    }
                }
                c.commit();
                return got;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("jobs: cannot reserve jobs: " + e.getMessage(), e);
        }
    }

    @Override
    public void extend(List<Reservation> running, Duration lease) {
        update("UPDATE " + jobs + " SET available_at = ? WHERE id = ? AND reserved_by = ?", running, r -> new Object[]{
                System.currentTimeMillis() + lease.toMillis(), r.id(), worker});
    }

    @Override
    public void complete(Reservation job) {
        update("DELETE FROM " + jobs + " WHERE id = ?", List.of(job), r -> new Object[]{r.id()});
        done.computeIfAbsent(job.queue(), q -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void release(Reservation job, Instant availableAt, boolean countAttempt) {
        update("UPDATE " + jobs + " SET available_at = ?, reserved_by = NULL, attempts = ? WHERE id = ? AND reserved_by = ?",
                List.of(job), r -> new Object[]{availableAt.toEpochMilli(), countAttempt ? r.attempts() : Math.max(0, r.attempts() - 1), r.id(), worker});
    }

    @Override
    public void fail(Reservation job, String type, String reason) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                exec(c, "INSERT INTO " + failed + " (id, queue, type, payload, attempts, reason, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        job.id(), job.queue(), type, job.raw(), job.attempts(), FailedJobCodec.reason(reason), System.currentTimeMillis());
                exec(c, "DELETE FROM " + jobs + " WHERE id = ?", job.id());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("jobs: cannot move job " + job.id() + " to the failed jobs: " + e.getMessage(), e);
        }
    }

    @Override
    public List<FailedJob> failed(int limit) {
        List<FailedJob> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, queue, type, attempts, reason, failed_at, payload FROM " + failed
                     + " ORDER BY failed_at DESC, id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FailedJob(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                            Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("jobs: cannot read the failed jobs: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean retry(String id) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                int n = exec(c, "INSERT INTO " + jobs + " (id, queue, payload, attempts, available_at, reserved_by, created_at)"
                        + " SELECT id, queue, payload, 0, ?, NULL, ? FROM " + failed + " WHERE id = ?", System.currentTimeMillis(),
                        System.currentTimeMillis(), id);
                exec(c, "DELETE FROM " + failed + " WHERE id = ?", id);
                c.commit();
                return n > 0;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("jobs: cannot retry job " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int retryAll() {
        int n = 0;
        for (String id : ids()) if (retry(id)) n++;
        return n;
    }

    private List<String> ids() {
        List<String> ids = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM " + failed)) {
            while (rs.next()) ids.add(rs.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException("jobs: cannot read the failed jobs: " + e.getMessage(), e);
        }
        return ids;
    }

    @Override
    public boolean forget(String id) {
        return update("DELETE FROM " + failed + " WHERE id = ?", List.of(id), x -> new Object[]{x}) > 0;
    }

    @Override
    public int flush() {
        return update("DELETE FROM " + failed, List.of(1), x -> new Object[0]);
    }

    @Override
    public List<QueueStats> stats(List<String> queues) {
        flushCounts(true);
        long now = System.currentTimeMillis();
        Map<String, long[]> c = new TreeMap<>();
        try (Connection conn = ds.getConnection()) {
            try (PreparedStatement ps = conn.prepareStatement("SELECT queue,"
                    + " SUM(CASE WHEN available_at <= ? THEN 1 ELSE 0 END),"
                    + " SUM(CASE WHEN reserved_by IS NULL AND available_at > ? THEN 1 ELSE 0 END),"
                    + " SUM(CASE WHEN reserved_by IS NOT NULL AND available_at > ? THEN 1 ELSE 0 END)"
                    + " FROM " + jobs + " GROUP BY queue")) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                ps.setLong(3, now);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long[] v = c.computeIfAbsent(rs.getString(1), q -> new long[5]);
                        v[0] = rs.getLong(2);
                        v[1] = rs.getLong(3);
                        v[2] = rs.getLong(4);
                    }
                }
            }
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT queue, COUNT(*) FROM " + failed + " GROUP BY queue")) {
                while (rs.next()) c.computeIfAbsent(rs.getString(1), q -> new long[5])[3] = rs.getLong(2);
            }
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT queue, SUM(done) FROM " + counts + " GROUP BY queue")) {
                while (rs.next()) c.computeIfAbsent(rs.getString(1), q -> new long[5])[4] = rs.getLong(2);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("jobs: cannot count the jobs: " + e.getMessage(), e);
        }
        Set<String> names = new LinkedHashSet<>(queues);
        names.addAll(c.keySet());
        List<QueueStats> out = new ArrayList<>();
        for (String q : names) {
            long[] v = c.getOrDefault(q, new long[5]);
            out.add(new QueueStats(q, v[0], v[1], v[2], v[3], v[4]));
        }
        return out;
    }

    /** Writes this process's completed counts (one row per queue and process, so workers never contend). */
    private synchronized void flushCounts(boolean now) {
        long t = System.currentTimeMillis();
        if (!now && t - lastFlush < 1000) return;
        lastFlush = t;
        for (Map.Entry<String, AtomicLong> e : done.entrySet()) {
            long v = e.getValue().get();
            if (flushed.getOrDefault(e.getKey(), -1L) == v) continue;
            try (Connection c = ds.getConnection()) {
                schema.upsertCount(c, e.getKey(), worker, v);
                flushed.put(e.getKey(), v);
            } catch (SQLException ex) {
                log.debug("jobs: cannot write the completed count: {}", ex.toString());
            }
        }
    }

    private interface Args<T> {
        Object[] of(T t);
    }

    private <T> int update(String sql, List<T> rows, Args<T> args) {
        if (rows.isEmpty()) return 0;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int n = 0;
            for (T row : rows) {
                Object[] a = args.of(row);
                for (int i = 0; i < a.length; i++) ps.setObject(i + 1, a[i]);
                n += ps.executeUpdate();
            }
            return n;
        } catch (SQLException e) {
            throw new IllegalStateException("jobs: " + e.getMessage(), e);
        }
    }

    private static int exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            return ps.executeUpdate();
        }
    }

    @Override
    public void close() {
        flushCounts(true);
    }
}
