package io.routemq.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/**
 * Stands in for the embedded broker's command ({@value RouteMqCli#BROKER_COMMAND_CLASS}) when routemq-broker is not
 * on the classpath.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Run the embedded MQTT broker on its own.", "Needs the routemq-broker module on the classpath."})
final class BrokerPlaceholderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("routemq broker: the embedded broker is not in this build (" + RouteMqCli.BROKER_COMMAND_CLASS
                + " is not on the classpath); add the routemq-broker module");
        return 1;
    }
}
