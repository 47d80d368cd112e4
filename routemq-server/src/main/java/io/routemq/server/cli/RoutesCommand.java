package io.routemq.server.cli;

import io.routemq.core.annotation.RouteIndex;
import io.routemq.server.app.CodeRoute;
import io.routemq.config.ConfigException;
import io.routemq.server.config.LoadedConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code routemq routes --config FILE [--topic T]}: the route table, or where one topic goes. */
@Command(name = "routes", mixinStandardHelpOptions = true,
        description = {"Print the routes of a config as a table; in an application's directory, also its code routes with their source.",
                "With --topic, print which routes (and so which sinks) a message on that topic goes to."})
final class RoutesCommand implements Callable<Integer> {
    private static final String COMMAND = "routemq routes";

    @ParentCommand
    RouteMqCli root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the config file; default in an application's directory: its routemq.yaml")
    Path config;

    @Option(names = {"-t", "--topic"}, paramLabel = "TOPIC", description = "a concrete topic to trace through the routes")
    String topic;

    @Option(names = {"-b", "--broker"}, paramLabel = "NAME", description = "with --topic: only this broker session (default: every session)")
    String broker;

    @Override
    public Integer call() {
        LoadedConfig loaded;
        try {
            if (config == null && root.appIndex().isEmpty()) {
                // without an application on the class path there is nothing to default to
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--config=FILE'");
            }
            loaded = root.loadConfigOrApp(config);
        } catch (ConfigException e) {
            return root.configErrors(e);
        }
        if (loaded == null) return root.noAppConfig(COMMAND);
        RouteIndex index = root.appIndex();
        List<CodeRoute> code = index.isEmpty() ? List.of() : AppReport.codeRoutes(root.appLoader(), index, loaded.config(), root.env());
        root.notes(loaded);
        ConfigReport report = new ConfigReport(root.out);
        if (topic == null) {
            report.routes(loaded.config());
            if (!index.isEmpty()) {
                root.out.println();
                new AppReport(root.out).routes(code, loaded.config());
            }
            return 0;
        }
        if (broker != null && !loaded.config().sessionNames().contains(broker)) {
            root.err.println("routemq routes: unknown broker '" + broker + "' (known: " + String.join(", ", loaded.config().sessionNames()) + ")");
            return 1;
        }
        if (index.isEmpty()) {
            report.trace(loaded.config(), topic, broker);
            return 0;
        }
        boolean byConfig = report.traceMatches(loaded.config(), topic, broker);
        boolean byCode = new AppReport(root.out).trace(code, loaded.config(), topic, broker);
        if (!byConfig && !byCode) root.out.println("no route receives '" + topic + "'" + (broker == null ? "" : " on " + broker));
        return 0;
    }
}
