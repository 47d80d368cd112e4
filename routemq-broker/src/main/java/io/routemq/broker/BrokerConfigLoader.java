package io.routemq.broker;

import io.routemq.config.ConfigException;
import io.routemq.config.EnvSubstitution;
import io.routemq.config.Node;
import io.routemq.config.Obj;
import io.routemq.config.Problems;
import io.routemq.config.TreeReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@link BrokerConfig} from the {@code broker:} section of a YAML or JSON file: the same section, with the
 * same keys and defaults, that the gateway reads (docs/config.md, "broker"). {@code routemq broker --config
 * routemq.yaml} therefore runs the broker a gateway config describes.
 *
 * <p>Keys are camelCase; durations are written like {@code 60s} or {@code 2m}, sizes like {@code 256KB};
 * {@code ${ENV_VAR}} and {@code ${ENV_VAR:-default}} are replaced in string values. Every problem is reported at once,
 * each as {@code file:line:col broker.key: problem (hint)}. Relative paths are relative to the working directory, as
 * in the gateway.
 */
public final class BrokerConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerConfigLoader.class);

    private BrokerConfigLoader() {
    }

    /**
     * @param file YAML ({@code .yaml}/{@code .yml}) or JSON ({@code .json}) file with a top-level {@code broker:}
     *             section; without one, the defaults are used
     * @return the config
     * @throws BrokerConfigException naming the file, the line, the key and the fix
     */
    public static BrokerConfig load(Path file) {
        return load(file, System.getenv());
    }

    /**
     * Same as {@link #load(Path)} with a given environment (for tests).
     *
     * @param file the file
     * @param env  the environment for {@code ${...}}
     * @return the config
     */
    public static BrokerConfig load(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BrokerConfigException("Config file " + file.toAbsolutePath() + " does not exist. Fix --config.", e);
        } catch (IOException e) {
            throw new BrokerConfigException("Cannot read config file " + file.toAbsolutePath() + ": " + e, e);
        }
        String source = file.toString();
        Problems problems = new Problems(source);
        TreeReader.Syntax syntax = source.toLowerCase(Locale.ROOT).endsWith(".json") ? TreeReader.Syntax.JSON : TreeReader.Syntax.YAML;
        Node root = TreeReader.read(text.startsWith("\uFEFF") ? text.substring(1) : text, syntax, problems);
        BrokerConfig config = BrokerConfig.defaults();
        if (root != null && !problems.hasErrors()) {
            root = EnvSubstitution.apply(root, env, problems);
            config = fromRoot(root, problems);
        }
        for (String w : problems.warnings()) LOG.warn("{}", w);
        try {
            problems.throwIfAny();
        } catch (ConfigException e) {
            throw new BrokerConfigException(e.getMessage(), e);
        }
        return Objects.requireNonNull(config);
    }

    private static BrokerConfig fromRoot(Node root, Problems problems) {
        if (!(root instanceof Node.MapNode top)) {
            problems.error(root.location(), "", "expected a mapping with a 'broker:' section at the top", null);
            return null;
        }
        Node section = top.get("broker");
        if (section == null || Obj.isNull(section)) {
            for (String key : BrokerSection.KEYS) {
                if (top.has(key) && !key.equals("users") && !key.equals("acl") && !key.equals("queue")) {
                    problems.error(top.entries().get(key).keyLocation(), key, "is at the top level",
                            "put broker settings under a 'broker:' section");
                }
            }
            return BrokerConfig.defaults();
        }
        // The rest of a gateway config (brokers:, routes:, sinks:, ...) is not the broker's business.
        Obj b = Obj.of(problems, section, "broker", top.entries().get("broker").keyLocation(), false, keys("enabled"));
        return build(b);
    }

    /**
     * Every key a {@code broker:} section may hold (the former spellings included), plus {@code extra} keys the
     * caller reads itself (the gateway's {@code enabled}).
     *
     * @param extra more keys
     * @return the keys, for {@link Obj#of}
     */
    public static String[] keys(String... extra) {
        return BrokerSection.known(extra);
    }

    /**
     * Binds a {@code broker:} section into a builder; problems go to the section's collector at the place the user
     * wrote them. A key that is not written keeps the builder's default.
     *
     * @param section the section, read with {@link #keys(String...)}
     * @return the builder
     */
    public static BrokerConfig.Builder read(Obj section) {
        return BrokerSection.bind(section);
    }

    /**
     * Binds and builds a {@code broker:} section. What the config record refuses is reported at the key it names.
     *
     * @param section the section, read with {@link #keys(String...)}
     * @return the config, or null when a problem was reported
     */
    public static BrokerConfig build(Obj section) {
        int before = section.problems().errorCount();
        BrokerConfig.Builder b = read(section);
        return section.problems().errorCount() > before ? null : build(section, b);
    }

    /**
     * Builds the config, reporting what the record refuses at the key the user wrote.
     *
     * @param section the section the builder was read from
     * @param builder the builder
     * @return the config, or null when the record refused it (reported)
     */
    public static BrokerConfig build(Obj section, BrokerConfig.Builder builder) {
        try {
            return builder.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            String msg = String.valueOf(e.getMessage());
            String key = "";
            if (msg.startsWith("broker.")) {
                int end = "broker.".length();
                while (end < msg.length() && (Character.isLetterOrDigit(msg.charAt(end)) || msg.charAt(end) == '.')) end++;
                key = msg.substring("broker.".length(), end);
                msg = msg.substring(end).replaceFirst("^[: ]+", "");
            }
            String first = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            section.problems().error(key.isEmpty() ? section.location() : section.at(first),
                    key.isEmpty() ? section.path() : section.path() + "." + key, msg, null);
            return null;
        }
    }
}
