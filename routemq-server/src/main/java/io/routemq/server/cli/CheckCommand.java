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

/** {@code routemq check --config FILE}: validates a config and prints what it resolves to. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Validate a config file and print the resolved brokers, routes, sinks and MQTT subscriptions.",
                "In an application's directory, also build its code routes and list them with their source (class#method).",
                "Prints every error (file:line:col key: problem (hint)) and exits with 1 when there is any."})
final class CheckCommand implements Callable<Integer> {
    private static final String COMMAND = "routemq check";

    @ParentCommand
    RouteMqCli root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the config file; default in an application's directory: its routemq.yaml")
    Path config;

    @Override
    public Integer call() {
        LoadedConfig loaded;
        try {
            if (config == null && root.appIndex().isEmpty()) {
                // without an application on the class path there is nothing to default to
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--config=FILE'");
            }
            loaded = root.loadConfigOrApp(config, true);
        } catch (ConfigException e) {
            return root.configErrors(e);
        }
        if (loaded == null) return root.noAppConfig(COMMAND);
        RouteIndex index = root.appIndex();
        List<CodeRoute> code = index.isEmpty() ? List.of() : AppReport.codeRoutes(root.appLoader(), index, loaded.config(), root.env());
        new ConfigReport(root.out).full(loaded);
        if (index.isEmpty()) return 0;
        root.out.println();
        new AppReport(root.out).routes(code, loaded.config());
        List<String> problems = AppReport.problems(loaded.config(), code);
        for (String p : problems) root.err.println(p);
        if (!problems.isEmpty()) root.err.println(problems.size() == 1 ? "1 error." : problems.size() + " errors.");
        return problems.isEmpty() ? 0 : 1;
    }
}
