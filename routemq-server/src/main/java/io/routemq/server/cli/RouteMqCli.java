package io.routemq.server.cli;

import io.routemq.core.annotation.RouteIndex;
import io.routemq.server.app.App;
import io.routemq.server.app.AppConfigFile;
import io.routemq.server.app.DotEnv;
import io.routemq.config.ConfigError;
import io.routemq.config.ConfigException;
import io.routemq.server.config.ConfigLoader;
import io.routemq.server.config.LoadedConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

/**
 * The {@code routemq} command line: {@code run}, {@code check}, {@code routes}, {@code dlq}, {@code version},
 * {@code broker}, and {@code --help} on each.
 *
 * <p>Exit codes: 0 success; 1 a config with errors, or a command that failed; 2 a usage error (unknown option,
 * missing argument). {@code run} returns what the {@link GatewayLauncher} returns.
 *
 * <p>The gateway runtime plugs in through two interfaces, found with {@link ServiceLoader} or passed to the
 * constructor: {@link GatewayLauncher} for {@code run} and {@link DeadLetterCommands} for {@code dlq}. The embedded
 * broker's own command ({@code routemq-broker}'s BrokerCommand) is the {@code broker} subcommand.
 */
@Command(name = "routemq", mixinStandardHelpOptions = true, versionProvider = RouteMqCli.VersionProvider.class,
        description = "RouteMQ: routes MQTT messages by topic to HTTP and other sinks, without losing any.",
        footer = {"", "In a source checkout, the ./routemq launcher at the repository root also runs",
                "(each takes --help):",
                "  example  The fleet example app (examples/fleet) on its embedded broker.",
                "  bench    The end-to-end benchmark (docs/performance.md).",
                "", "Config reference: docs/config.md. Exit codes: 0 ok, 1 errors, 2 usage."},
        subcommands = {RunCommand.class, DevCommand.class, CheckCommand.class, RoutesCommand.class, NewCommand.class, DlqCommand.class, JobsCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class})
public final class RouteMqCli implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RouteMqCli.class);

    private final GatewayLauncher launcher;
    private final DeadLetterCommands deadLetters;
    private final Map<String, String> env;
    PrintWriter out;
    PrintWriter err;
    /** The config the command loaded, for its error messages; null before one is loaded. */
    private LoadedConfig loaded;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * A CLI with the launcher and dead-letter commands found by ServiceLoader, over System.getenv() with the working
     * directory's {@code .env} file under it (the environment wins).
     *
     * @throws IllegalArgumentException naming the file and line when the {@code .env} file has a malformed line
     */
    public RouteMqCli() {
        this(discover(GatewayLauncher.class), discover(DeadLetterCommands.class), DotEnv.merge(Path.of(".env"), System.getenv()));
    }

    /**
     * A CLI with explicit collaborators (tests, embedding).
     *
     * @param launcher    runs the gateway for {@code run}, or null when there is none
     * @param deadLetters serves {@code dlq}, or null when there is none
     * @param env         the environment for config substitution and overrides
     */
    public RouteMqCli(GatewayLauncher launcher, DeadLetterCommands deadLetters, Map<String, String> env) {
        this.launcher = launcher;
        this.deadLetters = deadLetters;
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    /**
     * Runs the CLI and exits the JVM with its exit code. Every command but {@code run} and {@code broker} keeps its
     * standard output for its own output: logs go to standard error, warnings and errors only.
     */
    public static void main(String... args) {
        if (args.length == 0 || !(args[0].equals("run") || args[0].equals("broker"))) CliLogging.quiet();
        System.exit(execute(args));
    }

    /** Runs the CLI on standard output and error, without exiting; returns the exit code (for tests). */
    public static int execute(String... args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        RouteMqCli cli;
        try {
            cli = new RouteMqCli();
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            err.println("routemq: " + e.getMessage());
            return 1;
        }
        return cli.execute(out, err, args);
    }

    /** Runs the CLI on the given writers; returns the exit code. */
    public int execute(PrintWriter out, PrintWriter err, String... args) {
        this.out = out;
        this.err = err;
        try {
            return commandLine().setOut(out).setErr(err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The picocli command line over this instance, with the {@code broker} subcommand resolved. */
    public CommandLine commandLine() {
        CommandLine cl = new CommandLine(this);
        cl.addSubcommand("broker", new io.routemq.broker.cli.BrokerCommand());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            log.debug("{} failed", commandLine.getCommandSpec().qualifiedName(), e);
            commandLine.getErr().println(CliErrors.line(commandLine.getCommandSpec().qualifiedName(), e, loaded == null ? null : loaded.config()));
            return 1;
        });
        return cl;
    }


    @Override
    public Integer call() {
        err.println("routemq: name a command");
        spec.commandLine().usage(err);
        return 2;
    }

    // ---- shared by the subcommands

    GatewayLauncher launcher() {
        return launcher;
    }

    DeadLetterCommands deadLetters() {
        return deadLetters;
    }

    Map<String, String> env() {
        return env;
    }

    /** Loads a config file, or the demo config for null. */
    LoadedConfig load(Path file) {
        return load(file, false);
    }

    /** Loads a config; with {@code environment}, also tests ports and directories on this machine (warnings). */
    LoadedConfig load(Path file, boolean environment) {
        ConfigLoader loader = new ConfigLoader(env);
        if (environment) loader.checkingEnvironment();
        loaded = file == null ? loader.loadDemo() : loader.loadDetailed(file);
        return loaded;
    }

    /** The class loader that sees the application, if one is on the class path. */
    ClassLoader appLoader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : RouteMqCli.class.getClassLoader();
    }

    /** The route index of the application on the class path; empty without one. */
    RouteIndex appIndex() {
        return App.index(appLoader());
    }

    /** Loads the application's config (routemq.yaml in the working directory, ...); null when it has none. */
    LoadedConfig loadAppConfig(ConfigLoader loader) {
        loaded = forApp(AppConfigFile.load(loader, Path.of(""), appLoader()));
        return loaded;
    }

    /** Loads {@code --config} when given, else the app's config; null when an app has none. */
    LoadedConfig loadConfigOrApp(Path file) {
        return loadConfigOrApp(file, false);
    }

    /** As {@link #loadConfigOrApp(Path)}; {@code environment}: as in {@link #load(Path, boolean)}. */
    LoadedConfig loadConfigOrApp(Path file, boolean environment) {
        if (appIndex().isEmpty()) return load(file, environment);
        if (file != null) return loaded = forApp(load(file, environment));
        ConfigLoader loader = new ConfigLoader(env);
        if (environment) loader.checkingEnvironment();
        return loadAppConfig(loader);
    }

    /** An app's config without the warning that it has no routes: the app's routes are in its code. */
    static LoadedConfig forApp(LoadedConfig c) {
        if (c == null) return null;
        List<String> warnings = c.warnings().stream().filter(w -> !w.endsWith(NO_ROUTES_WARNING)).toList();
        return new LoadedConfig(c.config(), c.source(), c.syntax(), c.dialect(), warnings, c.overrides());
    }

    /** The end of the config reader's warning for a config without routes. */
    private static final String NO_ROUTES_WARNING = "there are no routes: the gateway forwards nothing";

    /** Says that the application has no config and returns exit code 1. */
    int noAppConfig(String command) {
        err.println(command + ": the application has no config: give --config FILE, or create routemq.yaml in this directory "
                + "or src/main/resources/routemq.yaml ('routemq new' writes one)");
        return 1;
    }

    /** Prints every error of a config and returns exit code 1. */
    int configErrors(ConfigException e) {
        for (ConfigError error : e.errors()) err.println(error);
        int n = e.errors().size();
        err.println(n == 1 ? "1 error." : n + " errors.");
        return 1;
    }

    /** Prints warnings and overrides of a loaded config to the error stream. */
    void notes(LoadedConfig loaded) {
        for (String w : loaded.warnings()) err.println("warning: " + w);
    }

    static <T> T discover(Class<T> type) {
        Iterator<T> it = ServiceLoader.load(type, RouteMqCli.class.getClassLoader()).iterator();
        return it.hasNext() ? it.next() : null;
    }

    /** The version from the build. */
    static String version() {
        try (InputStream in = RouteMqCli.class.getClassLoader().getResourceAsStream("routemq-version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Supplies {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"routemq " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
