package io.routemq.jobs;

import io.routemq.core.Backoff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/** The jobs the contract suite runs, and what they record (keyed by a run id, so that tests do not see each other). */
final class TestJobs {
    private TestJobs() {
    }

    /** What the jobs of one run did. */
    static final class Run {
        final AtomicIntegerArray attempts;
        final AtomicIntegerArray completions;
        final AtomicIntegerArray failedHooks;
        final long[] ranAt;
        final AtomicInteger completed = new AtomicInteger();

        Run(int n) {
            attempts = new AtomicIntegerArray(n);
            completions = new AtomicIntegerArray(n);
            failedHooks = new AtomicIntegerArray(n);
            ranAt = new long[n];
        }
    }

    static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

    static Run run(String id, int n) {
        Run r = new Run(n);
        RUNS.put(id, r);
        return r;
    }

    static final Backoff FAST = Backoff.fixed(Duration.ofMillis(5));

    /**
     * Job {@code i} of a run: fails its first {@code failFirst} attempts, then completes; records each attempt, each
     * completion, and the failed() hook.
     */
    record Counting(String run, int i, int failFirst, int maxAttempts) implements Job {
        @Override
        public void handle() {
            Run r = RUNS.get(run);
            int a = r.attempts.incrementAndGet(i);
            if (a <= failFirst) throw new IllegalStateException("injected failure " + a + " of job " + i);
            r.completions.incrementAndGet(i);
            r.completed.incrementAndGet();
        }

        @Override
        public void failed(Throwable cause) {
            RUNS.get(run).failedHooks.incrementAndGet(i);
        }

        @Override
        public JobOptions options() {
            return JobOptions.builder().maxAttempts(maxAttempts).backoff(FAST).build();
        }
    }

    /** Must not run before {@code dueAt} (epoch ms); records when it ran. */
    record Delayed(String run, int i, long dueAt) implements Job {
        @Override
        public void handle() {
            Run r = RUNS.get(run);
            r.ranAt[i] = System.currentTimeMillis();
            r.completions.incrementAndGet(i);
            r.completed.incrementAndGet();
        }
    }

    /**
     * In the child JVM (system property {@code jobs.child}): writes {@code <dir>/<i>.started} and sleeps for a
     * minute (it is killed meanwhile). In the test JVM: counts a completion.
     */
    record Slow(String run, int i, String dir) implements Job {
        @Override
        public void handle() throws Exception {
            if (System.getProperty("jobs.child") != null) {
                Files.writeString(Path.of(dir, i + ".started"), "x");
                Thread.sleep(60_000);
                return;
            }
            Run r = RUNS.get(run);
            r.attempts.incrementAndGet(i);
            r.completions.incrementAndGet(i);
            r.completed.incrementAndGet();
        }

        @Override
        public JobOptions options() {
            return JobOptions.builder().maxAttempts(5).backoff(FAST).timeout(Duration.ofMinutes(5)).build();
        }
    }

    /** A class (not a record) with an injected dependency the factory fills. */
    public static final class WithDependency implements Job {
        public String run;
        public int i;
        transient Greeter greeter;

        public WithDependency() {
        }

        WithDependency(String run, int i) {
            this.run = run;
            this.i = i;
        }

        @Override
        public void handle() {
            if (greeter == null || !greeter.hello().equals("hello")) throw new IllegalStateException("not injected");
            Run r = RUNS.get(run);
            r.completions.incrementAndGet(i);
            r.completed.incrementAndGet();
        }
    }

    interface Greeter {
        String hello();
    }

    static void touch(Path p) throws IOException {
        Files.writeString(p, "x");
    }
}
