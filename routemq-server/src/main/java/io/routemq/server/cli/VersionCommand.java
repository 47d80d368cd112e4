package io.routemq.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code routemq version}. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the RouteMQ and Java versions.")
final class VersionCommand implements Callable<Integer> {

    @ParentCommand
    RouteMqCli root;

    @Override
    public Integer call() {
        for (String line : new RouteMqCli.VersionProvider().getVersion()) root.out.println(line);
        return 0;
    }
}
