package io.routemq.server.cli;

import io.routemq.database.SqlDialect;
import io.routemq.jobs.FailedJob;
import io.routemq.jobs.JobStore;
import io.routemq.jobs.JobStores;
import io.routemq.jobs.JobWorkers;
import io.routemq.jobs.JobsConfig;
import io.routemq.jobs.QueueStats;
import io.routemq.server.services.Services;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code routemq jobs failed|retry|forget|flush|stats|schema|work}: the background jobs of the {@code jobs:} section. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = {"Background jobs: list, retry, forget or flush failed jobs, show the queues, print the database schema, or run workers."},
        subcommands = {JobsCommand.Failed.class, JobsCommand.Retry.class, JobsCommand.Forget.class, JobsCommand.Flush.class,
                JobsCommand.Stats.class, JobsCommand.Schema.class, JobsCommand.Work.class})
final class JobsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    @ParentCommand
    RouteMqCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        root.err.println("routemq jobs: name a subcommand: failed, retry, forget, flush, stats, schema or work");
        spec.commandLine().usage(root.err);
        return 2;
    }

    /** Opens the store of the config's jobs: section, runs the action, closes everything. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the config with the jobs: section (and redis: or database:); default: the local driver in data/jobs")
        Path config;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        interface Action {
            int run(JobStore store, JobsSection section, PrintWriter out) throws Exception;
        }

        JobsSection section() {
            return JobsSection.read(config, jobs.root.env());
        }

        int with(Action action) throws Exception {
            JobsSection section;
            try {
                section = section();
            } catch (io.routemq.config.ConfigException e) {
                return jobs.root.configErrors(e);
            } catch (IllegalArgumentException e) {
                jobs.root.err.println(spec.qualifiedName() + ": " + e.getMessage());
                return 1;
            }
            // the store closes first, then the Redis or database it uses
            try (Services services = new Services(section.redis(), section.database());
                 JobStore store = JobStores.open(section.jobs(), () -> services.redis("jobs.driver redis"),
                         () -> services.database("jobs.driver database"))) {
                return action.run(store, section, jobs.root.out);
            }
        }
    }

    @Command(name = "failed", mixinStandardHelpOptions = true, description = "List the failed jobs, newest first.")
    static final class Failed extends Sub {
        @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "50", description = "at most N (default ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() throws Exception {
            return with((store, section, out) -> {
                List<FailedJob> failed = store.failed(Math.max(1, limit));
                if (failed.isEmpty()) {
                    out.println("no failed jobs (" + store.driver() + " driver)");
                    return 0;
                }
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[]{"ID", "QUEUE", "JOB", "ATTEMPTS", "FAILED AT", "REASON"});
                for (FailedJob f : failed) {
                    String type = f.type().substring(f.type().lastIndexOf('.') + 1).replace('$', '.');
                    String reason = f.reason().replaceAll("\\s+", " ");
                    rows.add(new String[]{f.id(), f.queue(), type, Integer.toString(f.attempts()), TIME.format(f.failedAt()),
                            reason.length() > 70 ? reason.substring(0, 67) + "..." : reason});
                }
                table(out, rows);
                out.println(failed.size() + " failed job(s)" + (failed.size() == limit ? " (the newest " + limit + "; --limit shows more)" : ""));
                return 0;
            });
        }
    }

    /** One id or all. */
    static final class Selection {
        @Parameters(paramLabel = "ID", arity = "1", description = "the failed job's id, as 'failed' prints it")
        String id;

        @Option(names = "--all", required = true, description = "every failed job")
        boolean all;
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Put failed jobs back on their queue, with their attempts reset.")
    static final class Retry extends Sub {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Selection selection;

        @Override
        public Integer call() throws Exception {
            return with((store, section, out) -> {
                if (selection.all) {
                    out.println("retried " + store.retryAll() + " failed job(s)");
                    return 0;
                }
                if (!store.retry(selection.id)) {
                    jobs.root.err.println(spec.qualifiedName() + ": no failed job '" + selection.id + "' ('routemq jobs failed' lists them)");
                    return 1;
                }
                out.println("retried " + selection.id);
                return 0;
            });
        }
    }

    @Command(name = "forget", mixinStandardHelpOptions = true, description = "Delete one failed job for good.")
    static final class Forget extends Sub {
        @Parameters(paramLabel = "ID", description = "the failed job's id, as 'failed' prints it")
        String id;

        @Override
        public Integer call() throws Exception {
            return with((store, section, out) -> {
                if (!store.forget(id)) {
                    jobs.root.err.println(spec.qualifiedName() + ": no failed job '" + id + "' ('routemq jobs failed' lists them)");
                    return 1;
                }
                out.println("forgot " + id);
                return 0;
            });
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true, description = "Delete every failed job for good.")
    static final class Flush extends Sub {
        @Override
        public Integer call() throws Exception {
            return with((store, section, out) -> {
                out.println("deleted " + store.flush() + " failed job(s)");
                return 0;
            });
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = {"Per queue: jobs ready, delayed, running, failed, and the completion rate.",
            "The rate is measured over --interval (completions counted by the workers)."})
    static final class Stats extends Sub {
        @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", description = "how long to measure the rate (default ${DEFAULT-VALUE}; 0 for none)")
        String interval;

        @Override
        public Integer call() throws Exception {
            Duration over;
            try {
                over = interval.equals("0") ? Duration.ZERO : io.routemq.core.config.Values.parseDuration(interval);
                if (over == null || over.isNegative()) throw new IllegalArgumentException("write a duration like 1s or 500ms, or 0");
            } catch (IllegalArgumentException e) {
                jobs.root.err.println(spec.qualifiedName() + ": --interval: " + e.getMessage());
                return 2;
            }
            return with((store, section, out) -> {
                List<String> queues = List.copyOf(section.jobs().queues().keySet());
                Map<String, QueueStats> before = byQueue(store.stats(queues));
                if (!over.isZero()) Thread.sleep(over.toMillis());
                Map<String, QueueStats> after = over.isZero() ? before : byQueue(store.stats(queues));
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[]{"QUEUE", "READY", "DELAYED", "RUNNING", "FAILED", "COMPLETED", "RATE"});
                for (QueueStats s : after.values()) {
                    QueueStats b = before.get(s.queue());
                    String rate = over.isZero() ? "-" : String.format("%.1f/s", (s.completed() - (b == null ? 0 : b.completed())) * 1000.0 / over.toMillis());
                    rows.add(new String[]{s.queue(), Long.toString(s.ready()), Long.toString(s.delayed()), Long.toString(s.running()),
                            Long.toString(s.failed()), Long.toString(s.completed()), rate});
                }
                table(out, rows);
                out.println(store.driver() + " driver");
                return 0;
            });
        }

        private static Map<String, QueueStats> byQueue(List<QueueStats> list) {
            Map<String, QueueStats> m = new LinkedHashMap<>();
            for (QueueStats s : list) m.put(s.queue(), s);
            return m;
        }
    }

    @Command(name = "schema", mixinStandardHelpOptions = true, description = {"Print the database driver's tables (created on first use) as SQL.",
            "The dialect comes from database.url, or --dialect."})
    static final class Schema extends Sub {
        @Option(names = "--dialect", paramLabel = "postgresql|mariadb", description = "instead of the one database.url names")
        String dialect;

        @Override
        public Integer call() {
            JobsSection section;
            try {
                section = section();
            } catch (io.routemq.config.ConfigException e) {
                return jobs.root.configErrors(e);
            } catch (IllegalArgumentException e) {
                jobs.root.err.println(spec.qualifiedName() + ": " + e.getMessage());
                return 1;
            }
            SqlDialect d;
            if (dialect != null) {
                d = switch (dialect.toLowerCase()) {
                    case "postgresql", "postgres" -> SqlDialect.POSTGRESQL;
                    case "mariadb", "mysql" -> SqlDialect.MARIADB;
                    default -> null;
                };
                if (d == null) {
                    jobs.root.err.println(spec.qualifiedName() + ": --dialect must be postgresql or mariadb, got '" + dialect + "'");
                    return 2;
                }
            } else if (section.database() != null) {
                d = section.database().dialect();
                if (d == SqlDialect.OTHER) {
                    jobs.root.err.println(spec.qualifiedName() + ": database.url names neither PostgreSQL nor MariaDB; the jobs tables need one of them");
                    return 1;
                }
            } else {
                jobs.root.err.println(spec.qualifiedName() + ": the config has no database: section; name one with --dialect postgresql|mariadb");
                return 2;
            }
            jobs.root.out.print(JobStores.schema(d, section.jobs().tablePrefix()));
            return 0;
        }
    }

    @Command(name = "work", mixinStandardHelpOptions = true, description = {"Run job workers in this process until stopped (redis and database drivers).",
            "The application's job classes must be on the classpath. SIGTERM finishes the running jobs within jobs.shutdownTimeout, and releases the rest."})
    static final class Work extends Sub {
        @Option(names = {"-q", "--queue"}, paramLabel = "NAME", description = "work this queue only (default: the queues of jobs.queues)")
        String queue;

        @Option(names = {"-n", "--concurrency"}, paramLabel = "N", description = "jobs at once per queue (default: as in jobs.queues, else 4)")
        Integer concurrency;

        @Override
        public Integer call() throws Exception {
            if (concurrency != null && (concurrency < 1 || concurrency > 1000)) {
                jobs.root.err.println(spec.qualifiedName() + ": --concurrency must be between 1 and 1000");
                return 2;
            }
            return with((store, section, out) -> {
                JobsConfig c = section.jobs();
                if (c.driver() == JobsConfig.Driver.LOCAL) {
                    jobs.root.err.println(spec.qualifiedName() + ": the local driver's jobs are run by the app's own workers"
                            + " (its store is one process's); use jobs.driver redis or database for separate workers");
                    return 1;
                }
                Map<String, Integer> queues = new LinkedHashMap<>();
                if (queue != null) {
                    queues.put(queue, concurrency != null ? concurrency : c.queues().getOrDefault(queue, 4));
                } else {
                    c.queues().forEach((q, n) -> queues.put(q, concurrency != null ? concurrency : n));
                }
                JobWorkers workers = new JobWorkers(store, c, queues).start();
                CountDownLatch stopped = new CountDownLatch(1);
                Thread hook = new Thread(() -> {
                    try {
                        boolean all = workers.shutdown(c.shutdownTimeout());
                        jobs.root.err.println("routemq jobs work: stopped (" + workers.completed() + " completed, " + workers.retried()
                                + " retried, " + workers.failed() + " failed for good" + (all ? "" : "; running jobs released to their queue") + ")");
                        jobs.root.err.flush();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        stopped.countDown();
                    }
                }, "routemq-jobs-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                jobs.root.err.println("routemq jobs work: " + queues + " on the " + store.driver() + " driver; stop with Ctrl-C or SIGTERM");
                stopped.await();
                return 0;
            });
        }
    }

    static void table(PrintWriter out, List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                if (i > 0) b.append("  ");
                b.append(i == r.length - 1 ? r[i] : String.format("%-" + w[i] + "s", r[i]));
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
