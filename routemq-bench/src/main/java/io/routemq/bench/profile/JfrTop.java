package io.routemq.bench.profile;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The top frames of a JFR recording's {@code jdk.ExecutionSample} events: each thread group's share of the samples,
 * the top frames by self time (the sampled frame) and by inclusive time (anywhere on the stack), and the inclusive
 * share of the frames named by {@code --frame REGEX} (matched against {@code package-tail.Class.method}, e.g.
 * {@code core.Dispatcher.dispatch}). Profile a bench consumer with
 * {@code --consumer-jvm-opts "-Xms1g -Xmx1g -XX:+UseG1GC -XX:StartFlightRecording=filename=/tmp/jfr/c-%p.jfr,settings=profile,jdk.ExecutionSample#period=2ms"}
 * (docs/performance.md), then:
 * <pre>java -cp routemq-bench/target/classes io.routemq.bench.profile.JfrTop /tmp/jfr/c-1234.jfr --top 20 --frame core.Lanes.add</pre>
 */
public final class JfrTop {
    private JfrTop() {
    }

    /** Arguments: a recording, then {@code --top N} (default 20) and any number of {@code --frame REGEX}. */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: JfrTop <recording.jfr> [--top N] [--frame REGEX]...");
            System.exit(2);
        }
        int top = 20;
        List<Pattern> frames = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--top" -> top = Integer.parseInt(args[++i]);
                case "--frame" -> frames.add(Pattern.compile(args[++i]));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        report(Path.of(args[0]), top, frames, System.out);
    }

    static void report(Path file, int top, List<Pattern> frames, PrintStream out) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int[] named = new int[frames.size()];
        int total = 0;
        String command = "";
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.JVMInformation")) command = e.getString("javaArguments");
            if (!type.equals("jdk.ExecutionSample") || e.getStackTrace() == null) continue;
            List<RecordedFrame> stack = e.getStackTrace().getFrames();
            if (stack.isEmpty()) continue;
            total++;
            threads.merge(threadGroup(e.getThread("sampledThread")), 1, Integer::sum);
            self.merge(name(stack.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : stack) {
                String n = name(f);
                if (seen.add(n)) inclusive.merge(n, 1, Integer::sum);
            }
            for (int i = 0; i < frames.size(); i++) {
                for (String n : seen) {
                    if (frames.get(i).matcher(n).matches()) {
                        named[i]++;
                        break;
                    }
                }
            }
        }
        out.printf("# %s: %d samples; %s%n", file, total, command);
        print(out, "threads", threads, total, top);
        print(out, "self (top frame)", self, total, top);
        print(out, "inclusive", inclusive, total, top);
        if (!frames.isEmpty()) {
            out.println("## named frames, inclusive");
            for (int i = 0; i < frames.size(); i++) out.printf("%5.1f%%  %s%n", pct(named[i], total), frames.get(i).pattern());
        }
    }

    /** {@code package-tail.Class.method}: the last package element, the class and the method. */
    static String name(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        int dot = type.lastIndexOf('.');
        int previous = dot > 0 ? type.lastIndexOf('.', dot - 1) : -1;
        return type.substring(previous + 1) + "." + f.getMethod().getName();
    }

    private static String threadGroup(RecordedThread t) {
        if (t == null) return "?";
        if (t.isVirtual()) return "virtual";
        String n = t.getJavaName();
        return n == null ? "?" : n.replaceAll("[0-9]+", "N");
    }

    private static void print(PrintStream out, String title, Map<String, Integer> counts, int total, int top) {
        out.println("## " + title);
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top)
                .forEach(e -> out.printf("%5.1f%%  %s%n", pct(e.getValue(), total), e.getKey()));
    }

    private static double pct(int n, int total) {
        return total == 0 ? 0 : 100.0 * n / total;
    }
}
