package io.routemq.server.config;

import io.routemq.config.ConfigError;
import io.routemq.config.ConfigException;

import io.routemq.server.config.internal.EnvOverrides;
import io.routemq.config.EnvSubstitution;
import io.routemq.server.config.internal.GoReader;
import io.routemq.config.Node;
import io.routemq.config.Problems;
import io.routemq.server.config.internal.RouteMqReader;
import io.routemq.config.TreeReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a gateway config file into a validated {@link GatewayConfig}.
 *
 * <p>The steps: read the file (YAML for {@code .yaml}/{@code .yml}, JSON for {@code .json}, otherwise JSON when it
 * starts with '{' and YAML else); detect the Go middleware's format (a top-level {@code mqtt_brokers} or
 * {@code sub_deal_config}) and map it; substitute {@code ${VAR}} and {@code ${VAR:-default}} in every string value;
 * apply the environment overrides ({@code MQTT_BROKER}, {@code MQTT_PORT}, {@code MQTT_USERNAME},
 * {@code MQTT_PASSWORD}, {@code MQTT_CLIENT_ID}, {@code MQTT_GROUP_NAME}, {@code WORKER_COUNT}, {@code ROUTEMQ_ADMIN_PORT},
 * {@code ROUTEMQ_QUEUE_DIR}); validate everything.
 * Every problem found is collected into one {@link ConfigException}, each with its file, line, column, key path and a
 * hint. Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * GatewayConfig config = ConfigLoader.fromSystemEnvironment().load(Path.of("routemq.yaml"));
 * }</pre>
 */
public final class ConfigLoader {

    /** The classpath resource holding the demo config ({@code config/demo.yaml} in the repository). */
    public static final String DEMO_RESOURCE = "routemq-demo.yaml";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    private static final long MAX_FILE_BYTES = 16L << 20;

    private final Map<String, String> env;

    /**
     * Creates a loader.
     *
     * @param env the environment for substitution and overrides (System.getenv() in production, a map in tests)
     */
    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    private boolean checkEnvironment;

    /**
     * This loader, also testing the machine: ports in use and directories that cannot be written are reported as
     * warnings ({@code routemq check} does this; {@code run} finds them when it starts).
     */
    public ConfigLoader checkingEnvironment() {
        checkEnvironment = true;
        return this;
    }

    /** A loader over {@link System#getenv()}. */
    public static ConfigLoader fromSystemEnvironment() {
        return new ConfigLoader(System.getenv());
    }

    /**
     * Loads and validates a file.
     *
     * @throws ConfigException with every problem found
     */
    public GatewayConfig load(Path file) {
        return loadDetailed(file).config();
    }

    /**
     * Loads and validates a file, keeping its format, warnings and the overrides applied.
     *
     * @throws ConfigException with every problem found
     */
    public LoadedConfig loadDetailed(Path file) {
        String source = file.toString();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw single(source, "the file is " + size + " bytes; a config is at most " + MAX_FILE_BYTES, null);
            }
            if (Files.isDirectory(file)) throw single(source, "is a directory, not a file", "name the config file itself");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw single(source, "file not found", "check the path; the working directory is " + Path.of("").toAbsolutePath());
        } catch (IOException e) {
            throw single(source, "cannot read the file: " + e, null);
        }
        return parse(decode(bytes, source), source);
    }

    /** Loads the demo config from the classpath ({@value #DEMO_RESOURCE}). */
    public LoadedConfig loadDemo() {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) throw single(DEMO_RESOURCE, "not found on the classpath", "the routemq-server jar ships it; is it on the classpath?");
            return parse(decode(in.readAllBytes(), DEMO_RESOURCE), DEMO_RESOURCE);
        } catch (IOException e) {
            throw single(DEMO_RESOURCE, "cannot read it: " + e, null);
        }
    }

    /**
     * Parses and validates config text.
     *
     * @param content    the text
     * @param sourceName the name used in messages; its extension chooses the syntax ({@code .json}, {@code .yaml})
     * @throws ConfigException with every problem found
     */
    public LoadedConfig parse(String content, String sourceName) {
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        LoadedConfig.Syntax syntax = syntaxOf(sourceName, text);
        Problems problems = new Problems(sourceName);
        Node root = TreeReader.read(text, syntax == LoadedConfig.Syntax.JSON ? TreeReader.Syntax.JSON : TreeReader.Syntax.YAML, problems);
        if (root == null) {
            if (!problems.hasErrors()) {
                problems.error(new Node.Location(1, 1), "", "the file is empty",
                        "docs/config.md describes the keys; 'routemq run' without --config runs the demo config");
            }
            problems.throwIfAny();
        }
        root = EnvSubstitution.apply(root, env, problems);
        EnvOverrides overrides = new EnvOverrides(env, problems);
        boolean go = GoReader.detect(root);
        GatewayConfig config;
        try {
            config = go ? new GoReader(problems, overrides).read(root) : new RouteMqReader(problems, overrides).read(root);
            if (config != null) config = overrides.applyToRuntime(config);
        } catch (RuntimeException e) {
            // A bug of ours must still name the file; report it as an error rather than a stack trace.
            LOG.debug("config reader failed on {}", sourceName, e);
            problems.error(root.location(), "", "internal error while reading the config: " + e, "please report this with the file");
            config = null;
        }
        problems.throwIfAny();
        // What each module refuses at start is refused here too: check validates what run validates.
        ModuleConfigs.check(config, root, problems);
        problems.throwIfAny();
        if (checkEnvironment) EnvironmentChecks.warn(config, root, problems);
        overrides.noteRoutes(config);
        // Warnings are returned, not logged: the CLI prints them, the gateway logs them once logging is set up.
        return new LoadedConfig(config, sourceName, syntax, go ? LoadedConfig.Dialect.GO_MIDDLEWARE : LoadedConfig.Dialect.ROUTEMQ,
                problems.warnings(), overrides.applied());
    }

    private static LoadedConfig.Syntax syntaxOf(String name, String text) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".json")) return LoadedConfig.Syntax.JSON;
        if (n.endsWith(".yaml") || n.endsWith(".yml")) return LoadedConfig.Syntax.YAML;
        String t = text.stripLeading();
        return t.startsWith("{") || t.startsWith("[") ? LoadedConfig.Syntax.JSON : LoadedConfig.Syntax.YAML;
    }

    private static String decode(byte[] bytes, String source) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw single(source, "the file is not UTF-8 text", "save it as UTF-8");
        }
    }

    private static ConfigException single(String source, String problem, String hint) {
        return new ConfigException(List.of(new ConfigError(source, 0, 0, "", null, problem, hint)));
    }
}
