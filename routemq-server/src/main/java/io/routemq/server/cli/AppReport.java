package io.routemq.server.cli;

import io.routemq.core.annotation.RouteIndex;
import io.routemq.server.app.App;
import io.routemq.server.app.AppSections;
import io.routemq.server.app.CodeRoute;
import io.routemq.server.app.Settings;
import io.routemq.server.config.GatewayConfig;
import io.routemq.core.config.Suggest;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The code routes of the application on the class path, for {@code check} and {@code routes}: each with where it
 * is defined ({@code class#method} for a controller method). Building them runs the app's constructors (as
 * {@code run} does) but starts nothing: no session, no queue, no job store (nothing is written to disk).
 */
final class AppReport {
    private final PrintWriter out;

    AppReport(PrintWriter out) {
        this.out = out;
    }

    /**
     * Builds the app's routes and checks them against the config.
     *
     * @return the problems found (a code route naming a sink or broker the config lacks), one line each
     */
    static List<String> problems(GatewayConfig config, List<CodeRoute> routes) {
        List<String> problems = new ArrayList<>();
        for (CodeRoute r : routes) {
            for (String sink : r.sinks()) {
                if (!config.sinks().containsKey(sink)) {
                    String hint = Suggest.hint(sink, config.sinks().keySet(), "sinks of the config");
                    problems.add(r.source() + " route '" + r.topic() + "': unknown sink '" + sink + "'" + (hint == null ? "" : " (" + hint + ")"));
                }
            }
            if (r.session() != null && !config.sessionNames().contains(r.session())) {
                problems.add(r.source() + " route '" + r.topic() + "': unknown broker '" + r.session() + "' (known: "
                        + String.join(", ", config.sessionNames()) + ")");
            }
        }
        return problems;
    }

    /** The code routes of the app. */
    static List<CodeRoute> codeRoutes(ClassLoader loader, RouteIndex index, GatewayConfig config, Map<String, String> env) {
        try (App app = App.buildToCheck(loader, index, new Settings(env), AppSections.redis(config), AppSections.database(config),
                AppSections.jobs(config))) {
            return app.describe();
        }
    }

    /**
     * Prints the code routes whose pattern matches a topic (precedence between them is the router's: the most
     * specific wins unless a route fans out); returns whether there was any.
     */
    boolean trace(List<CodeRoute> routes, GatewayConfig config, String topic, String onlyBroker) {
        String defaultSession = config.brokers().isEmpty() ? GatewayConfig.EMBEDDED : config.brokers().keySet().iterator().next();
        boolean any = false;
        for (CodeRoute r : routes) {
            String session = r.session() == null ? defaultSession : r.session();
            if (onlyBroker != null && !onlyBroker.equals(session)) continue;
            io.routemq.core.TopicPattern pattern = io.routemq.core.TopicPattern.parse(r.topic());
            if (!pattern.matches(topic)) continue;
            any = true;
            Map<String, String> params = pattern.bind(topic);
            out.println(session + ": code route '" + r.topic() + "'" + (params.isEmpty() ? "" : " " + params) + " -> " + r.source()
                    + (r.sinks().isEmpty() ? "" : ", then " + String.join(", ", r.sinks())));
        }
        return any;
    }

    /** Prints the code routes as a table. */
    void routes(List<CodeRoute> routes, GatewayConfig config) {
        out.println("Code routes");
        if (routes.isEmpty()) {
            out.println("  (none)");
            return;
        }
        String defaultSession = config.brokers().isEmpty() ? GatewayConfig.EMBEDDED : config.brokers().keySet().iterator().next();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"TOPIC", "BROKER", "QOS", "SHARED", "TO", "SOURCE"});
        for (CodeRoute r : routes) {
            rows.add(new String[]{r.topic(), r.session() == null ? defaultSession : r.session(), String.valueOf(r.qos()),
                    r.shared() == null ? "-" : r.shared() + " x" + r.workers(), r.sinks().isEmpty() ? "-" : String.join(", ", r.sinks()),
                    r.source()});
        }
        int[] w = new int[rows.get(0).length];
        for (String[] row : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], row[i].length());
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder("  ");
            for (int i = 0; i < w.length; i++) {
                sb.append(row[i]);
                if (i < w.length - 1) sb.append(" ".repeat(w[i] - row[i].length() + 2));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
