package io.routemq.bench.e2e;

import io.routemq.core.RouteTable;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The heap the framework consumer's route table retains, alone: builds the table the {@code router10k} scenario
 * builds ({@link ConsumerMain#table}) and prints the heap in use after a full GC before and after, in MiB (the unit
 * of the bench's heap column). With a second argument it then waits that many seconds, so that
 * {@code jcmd <pid> GC.class_histogram} can list what the table holds (a 1-route run gives the baseline to subtract).
 * A 1-route table is built first, so that loading the classes and setting up logging do not count:
 * <pre>
 * java -Xms1g -Xmx1g -XX:+UseG1GC -Dlogback.configurationFile=routemq-bench-logback.xml \
 *     -cp "routemq-bench/target/classes:$(cat routemq-bench/target/e2e-classpath.txt)" io.routemq.bench.e2e.TableHeap 10000 [seconds]
 * </pre>
 * A measurement tool, like the bench: it prints to stdout.
 */
public final class TableHeap {
    private TableHeap() {
    }

    /** {@code TableHeap ROUTES [SECONDS]}. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) throw new IllegalArgumentException("usage: TableHeap ROUTES [SECONDS_TO_WAIT]");
        int routes = Integer.parseInt(args[0]);
        TopicTree tree = new TopicTree(10, 100);
        // a 1-route table first: the classes, their static state and the logging set-up are not the table's
        if (ConsumerMain.table(1, tree, 0, ctx -> { }, ctx -> { }, false).size() != 1) throw new IllegalStateException("1 route expected");
        fullGc();
        long before = used();
        RouteTable table = ConsumerMain.table(routes, tree, 0, ctx -> { }, ctx -> { }, false);
        fullGc();
        long after = used();
        System.out.printf(Locale.ROOT, "%d routes: the table retains %.2f MiB (%d bytes) after a full GC; pid %d%n",
                table.size(), (after - before) / 1048576.0, after - before, ProcessHandle.current().pid());
        if (args.length > 1) Thread.sleep(Long.parseLong(args[1]) * 1000);
        if (table.match("site/s1/device/d7/telemetry") == null) throw new IllegalStateException("the table lost its telemetry route");
    }

    private static void fullGc() throws InterruptedException {
        System.gc();
        Thread.sleep(50);
        System.gc();
        Thread.sleep(50);
    }

    private static long used() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
