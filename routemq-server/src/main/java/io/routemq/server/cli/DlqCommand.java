package io.routemq.server.cli;

import io.routemq.config.ConfigException;
import io.routemq.server.config.GatewayConfig;
import io.routemq.server.config.LoadedConfig;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code routemq dlq list|show|replay|purge}: the dead letters of the sinks. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = {"Inspect, replay or purge dead letters: messages a sink gave up on (retries or max age exhausted, or a full queue with overflow: dead-letter)."},
        subcommands = {DlqCommand.ListDlq.class, DlqCommand.Show.class, DlqCommand.Replay.class, DlqCommand.Purge.class})
final class DlqCommand implements Callable<Integer> {

    @ParentCommand
    RouteMqCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        root.err.println("routemq dlq: name a subcommand: list, show, replay or purge");
        spec.commandLine().usage(root.err);
        return 2;
    }

    /** The options every dlq subcommand takes. */
    static final class Common {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the gateway's config (for the queue directory and the sinks); default: the demo config")
        Path config;

        @Option(names = {"-s", "--sink"}, paramLabel = "NAME", description = "only this sink's dead letters")
        String sink;
    }

    /** Which dead letters: some ids, or all. */
    static final class Selection {
        @Parameters(paramLabel = "ID", arity = "1..*", description = "dead-letter ids as 'list' prints them")
        List<String> ids = new ArrayList<>();

        @Option(names = "--all", required = true, description = "every dead letter (of --sink, if given)")
        boolean all;
    }

    /** Loads the config, checks the sink, finds the implementation; then runs the action. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        DlqCommand dlq;

        @CommandLine.Mixin
        Common common = new Common();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        interface Action {
            int run(DeadLetterCommands commands, GatewayConfig config) throws Exception;
        }

        int with(Action action) throws Exception {
            RouteMqCli root = dlq.root;
            LoadedConfig loaded;
            try {
                loaded = root.load(common.config);
            } catch (ConfigException e) {
                return root.configErrors(e);
            }
            GatewayConfig config = loaded.config();
            if (common.sink != null && !config.sinks().containsKey(common.sink)
                    && !config.sinks().containsKey(common.sink.substring(0, Math.max(0, common.sink.lastIndexOf('.'))))) {
                String hint = io.routemq.core.config.Suggest.hint(common.sink, config.sinks().keySet(), "known sinks");
                root.err.println(spec.qualifiedName() + ": unknown sink '" + common.sink + "'" + (hint == null ? "" : " (" + hint + ")"));
                return 1;
            }
            DeadLetterCommands commands = root.deadLetters();
            if (commands == null) {
                root.err.println(spec.qualifiedName() + ": the dead-letter store is not part of this build (the gateway runtime of "
                        + "routemq-server is missing from the classpath)");
                return 1;
            }
            return action.run(commands, config);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"List dead letters of the config's sinks, newest first.",
            "Queues of other configs that share the queue directory are named at the end, not listed."})
    static final class ListDlq extends Sub {
        @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "50", description = "at most N (default ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() throws Exception {
            if (limit < 1) {
                dlq.root.err.println(spec.qualifiedName() + ": --limit must be at least 1");
                return 2;
            }
            return with((c, config) -> c.list(config, common.sink, limit, dlq.root.out));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one dead letter: topic, properties, payload, last error, attempts.")
    static final class Show extends Sub {
        @Parameters(paramLabel = "ID", description = "the dead letter's id as 'list' prints it")
        String id;

        @Override
        public Integer call() throws Exception {
            return with((c, config) -> c.show(config, common.sink, id, dlq.root.out));
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, description = "Put dead letters back on their sink's queue.")
    static final class Replay extends Sub {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Selection selection;

        @Override
        public Integer call() throws Exception {
            return with((c, config) -> c.replay(config, common.sink, List.copyOf(selection.ids), selection.all, dlq.root.out));
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true, description = "Delete dead letters for good.")
    static final class Purge extends Sub {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Selection selection;

        @Override
        public Integer call() throws Exception {
            return with((c, config) -> c.purge(config, common.sink, List.copyOf(selection.ids), selection.all, dlq.root.out));
        }
    }
}
