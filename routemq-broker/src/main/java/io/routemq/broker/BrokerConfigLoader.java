package io.routemq.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a {@link BrokerConfig} from the {@code broker:} section of a YAML or JSON file, or from an already parsed
 * Jackson tree (the gateway passes its own {@code broker:} node).
 *
 * <p>Keys are camelCase. Durations are written like {@code 60s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 7d};
 * sizes like {@code 256KB}, {@code 10MB} (1KB = 1024 bytes) or a plain number of bytes. {@code ${ENV_VAR}} and
 * {@code ${ENV_VAR:-default}} are replaced in string values. Relative paths are resolved against the directory of
 * the config file. Unknown keys are errors, with a suggestion.
 */
public final class BrokerConfigLoader {

    private static final Set<String> KEYS = Set.of("bindAddress", "port", "wsPort", "wsPath", "tls", "persistence",
            "dataDir", "maxPacketSize", "maxSessionExpiry", "maxKeepAlive", "maxQueuedMessages", "queueOverflow", "serverReceiveMaximum",
            "allowAnonymous", "users", "passwordFile", "acl");
    private static final Set<String> TLS_KEYS = Set.of("port", "cert", "key");
    private static final Set<String> ACL_KEYS = Set.of("default", "rules");
    private static final Set<String> RULE_KEYS = Set.of("allow", "deny", "topic", "topics", "user", "clientId");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final String source;
    private final Path baseDir;
    private final Function<String, String> env;

    private BrokerConfigLoader(String source, Path baseDir, Function<String, String> env) {
        this.source = source;
        this.baseDir = baseDir;
        this.env = env;
    }

    /**
     * @param file YAML ({@code .yaml}/{@code .yml}) or JSON ({@code .json}) file with a top-level {@code broker:} section;
     *             without one, the defaults are used
     * @return the config
     * @throws BrokerConfigException naming the file, the key and the fix
     */
    public static BrokerConfig load(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".json") ? JsonMapper.builder().build() : YAMLMapper.builder().build();
        JsonNode root;
        try {
            root = mapper.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new BrokerConfigException("Config file " + file.toAbsolutePath() + " does not exist. Fix --config.", e);
        } catch (IOException e) {
            throw new BrokerConfigException("Cannot read config file " + file.toAbsolutePath() + ": " + e, e);
        } catch (JacksonException e) {
            throw new BrokerConfigException(file + ": not valid " + (name.endsWith(".json") ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage() + locationOf(e), e);
        }
        Path base = file.toAbsolutePath().getParent();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return BrokerConfig.defaults();
        }
        if (!root.isObject()) {
            throw new BrokerConfigException(file + ": expected a mapping with a 'broker:' section at the top");
        }
        JsonNode broker = root.get("broker");
        if (broker == null || broker.isNull()) {
            for (String key : root.propertyNames()) {
                if (KEYS.contains(key) && !key.equals("users") && !key.equals("acl")) {
                    throw new BrokerConfigException(file + ": '" + key + "' is at the top level; put broker settings"
                            + " under a 'broker:' section");
                }
            }
            return BrokerConfig.defaults();
        }
        return fromNode(broker, file.toString(), base);
    }

    /**
     * @param broker  the {@code broker:} node
     * @param source  where it came from, for error messages (e.g. the file name)
     * @param baseDir directory relative paths are resolved against, or {@code null} for the working directory
     * @return the config
     * @throws BrokerConfigException naming the source, the key and the fix
     */
    public static BrokerConfig fromNode(JsonNode broker, String source, Path baseDir) {
        return new BrokerConfigLoader(source, baseDir, System::getenv).parse(broker);
    }

    /**
     * Same as {@link #fromNode(JsonNode, String, Path)} with a custom environment (for tests).
     *
     * @param broker  the {@code broker:} node
     * @param source  where it came from
     * @param baseDir base for relative paths, may be {@code null}
     * @param env     environment lookup
     * @return the config
     */
    public static BrokerConfig fromNode(JsonNode broker, String source, Path baseDir, Map<String, String> env) {
        return new BrokerConfigLoader(source, baseDir, env::get).parse(broker);
    }

    /**
     * @param text e.g. {@code 60s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 7d}
     * @return the duration
     * @throws IllegalArgumentException if it is not a duration
     */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: use e.g. 60s, 500ms, 2m, 1h, 7d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /**
     * @param text e.g. {@code 256KB}, {@code 10MB}, {@code 1GB}, {@code 512B} or {@code 512}
     * @return bytes (1KB = 1024)
     * @throws IllegalArgumentException if it is not a size
     */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size: use e.g. 256KB, 10MB or a number of bytes");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        return switch (unit) {
            case "KB" -> n * 1024;
            case "MB" -> n * 1024 * 1024;
            case "GB" -> n * 1024 * 1024 * 1024;
            default -> n;
        };
    }

    private BrokerConfig parse(JsonNode node) {
        requireObject(node, "broker");
        checkKeys(node, "broker", KEYS);
        BrokerConfig.Builder b = BrokerConfig.builder();
        str(node, "bindAddress").ifPresent(b::bindAddress);
        intValue(node, "port").ifPresent(b::port);
        if (node.has("wsPort")) {
            JsonNode ws = node.get("wsPort");
            if (ws.isNull() || (ws.isBoolean() && !ws.booleanValue()) || "off".equals(text(ws, "broker.wsPort"))) {
                b.wsPort(BrokerConfig.DISABLED);
            } else {
                b.wsPort(toInt(ws, "broker.wsPort"));
            }
        }
        str(node, "wsPath").ifPresent(b::wsPath);
        if (node.has("tls") && !node.get("tls").isNull()) {
            JsonNode tls = node.get("tls");
            requireObject(tls, "broker.tls");
            checkKeys(tls, "broker.tls", TLS_KEYS);
            int port = intValue(tls, "port", "broker.tls.port").orElse(8883);
            String cert = str(tls, "cert").orElseThrow(() -> error("broker.tls.cert", "is missing: the PEM certificate file"));
            String key = str(tls, "key").orElseThrow(() -> error("broker.tls.key", "is missing: the PEM private key file"));
            b.tls(new BrokerConfig.Tls(port, path(cert), path(key)));
        }
        str(node, "dataDir").ifPresent(d -> b.dataDir(path(d)));
        str(node, "persistence").ifPresent(p -> b.persistence(switch (p.toLowerCase(Locale.ROOT)) {
            case "file" -> BrokerConfig.Persistence.FILE;
            case "memory", "in-memory" -> BrokerConfig.Persistence.MEMORY;
            default -> throw error("broker.persistence", "'" + p + "' is not a persistence mode: use file or memory");
        }));
        str(node, "maxPacketSize").ifPresent(s -> b.maxPacketSize(convert("broker.maxPacketSize", s, BrokerConfigLoader::parseSize)));
        str(node, "maxSessionExpiry").ifPresent(s -> b.maxSessionExpiry(convert("broker.maxSessionExpiry", s, BrokerConfigLoader::parseDuration)));
        str(node, "maxKeepAlive").ifPresent(s -> b.maxKeepAlive(convert("broker.maxKeepAlive", s, BrokerConfigLoader::parseDuration)));
        str(node, "maxQueuedMessages").ifPresent(s -> b.maxQueuedMessages(convert("broker.maxQueuedMessages", s, Long::parseLong)));
        str(node, "queueOverflow").ifPresent(s -> b.queueOverflow(switch (s) {
            case "discardNew", "discard" -> BrokerConfig.QueueOverflow.DISCARD_NEW;
            case "discardOldest" -> BrokerConfig.QueueOverflow.DISCARD_OLDEST;
            default -> throw error("broker.queueOverflow", "'" + s + "' is not a strategy: use discardNew or discardOldest");
        }));
        intValue(node, "serverReceiveMaximum").ifPresent(b::serverReceiveMaximum);
        bool(node, "allowAnonymous").ifPresent(b::allowAnonymous);
        if (node.has("users") && !node.get("users").isNull()) {
            JsonNode users = node.get("users");
            requireObject(users, "broker.users");
            for (Map.Entry<String, JsonNode> e : users.properties()) {
                String key = "broker.users." + e.getKey();
                try {
                    b.user(e.getKey(), text(e.getValue(), key));
                } catch (IllegalArgumentException ex) {
                    throw error(key, ex.getMessage());
                }
            }
        }
        str(node, "passwordFile").ifPresent(p -> b.passwordFile(path(p)));
        if (node.has("acl") && !node.get("acl").isNull()) {
            parseAcl(node.get("acl"), b);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new BrokerConfigException(source + ": " + e.getMessage(), e);
        }
    }

    private void parseAcl(JsonNode acl, BrokerConfig.Builder b) {
        requireObject(acl, "broker.acl");
        checkKeys(acl, "broker.acl", ACL_KEYS);
        String def = str(acl, "default").orElse("deny");
        if (!def.equals("allow") && !def.equals("deny")) {
            throw error("broker.acl.default", "'" + def + "' must be allow or deny");
        }
        b.aclDefaultAllow(def.equals("allow"));
        JsonNode rules = acl.get("rules");
        if (rules == null || rules.isNull()) {
            return;
        }
        if (!rules.isArray()) {
            throw error("broker.acl.rules", "must be a list of rules like {allow: publish, topic: sensors/%c/#}");
        }
        int i = 0;
        for (JsonNode r : rules) {
            String key = "broker.acl.rules[" + i++ + "]";
            requireObject(r, key);
            checkKeys(r, key, RULE_KEYS);
            if (r.has("allow") == r.has("deny")) {
                throw error(key, "needs exactly one of 'allow: ACTIONS' or 'deny: ACTIONS' (publish, subscribe, all)");
            }
            boolean allow = r.has("allow");
            List<BrokerConfig.Action> actions = actions(r.get(allow ? "allow" : "deny"), key + (allow ? ".allow" : ".deny"));
            List<String> topics = new ArrayList<>();
            if (r.has("topic")) {
                topics.add(text(r.get("topic"), key + ".topic"));
            }
            if (r.has("topics")) {
                JsonNode ts = r.get("topics");
                if (!ts.isArray()) {
                    throw error(key + ".topics", "must be a list of topic filters");
                }
                int j = 0;
                for (JsonNode t : ts) {
                    topics.add(text(t, key + ".topics[" + j++ + "]"));
                }
            }
            if (topics.isEmpty()) {
                throw error(key, "needs 'topic: FILTER' (or 'topics: [..]'); %u is the user name, %c the client id");
            }
            String user = r.has("user") ? text(r.get("user"), key + ".user") : null;
            String clientId = r.has("clientId") ? text(r.get("clientId"), key + ".clientId") : null;
            for (String t : topics) {
                validateFilter(t, key);
                try {
                    b.aclRule(new BrokerConfig.AclRule(allow, actions, user, clientId, t));
                } catch (IllegalArgumentException e) {
                    throw error(key + ".topic", e.getMessage());
                }
            }
        }
    }

    private void validateFilter(String filter, String key) {
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            if (l.equals("#") && i != levels.length - 1) {
                throw error(key + ".topic", "'" + filter + "': '#' must be the last level");
            }
            if (!l.equals("#") && !l.equals("+") && (l.contains("#") || l.contains("+"))) {
                throw error(key + ".topic", "'" + filter + "': a wildcard must fill a whole level (level " + (i + 1) + ")");
            }
        }
    }

    private List<BrokerConfig.Action> actions(JsonNode node, String key) {
        List<String> names = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode n : node) {
                names.add(text(n, key));
            }
        } else {
            names.add(text(node, key));
        }
        List<BrokerConfig.Action> out = new ArrayList<>();
        for (String n : names) {
            switch (n) {
                case "publish", "pub", "write" -> out.add(BrokerConfig.Action.PUBLISH);
                case "subscribe", "sub", "read" -> out.add(BrokerConfig.Action.SUBSCRIBE);
                case "all", "readwrite" -> out.addAll(List.of(BrokerConfig.Action.values()));
                default -> throw error(key, "'" + n + "' is not an action: use publish, subscribe or all");
            }
        }
        return out.stream().distinct().toList();
    }

    private <T> T convert(String key, String value, Function<String, T> f) {
        try {
            return f.apply(value);
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    private Path path(String p) {
        Path path = Path.of(p);
        return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path).normalize();
    }

    private java.util.Optional<String> str(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(text(v, "broker." + key));
    }

    private java.util.Optional<Integer> intValue(JsonNode node, String key) {
        return intValue(node, key, "broker." + key);
    }

    private java.util.Optional<Integer> intValue(JsonNode node, String key, String path) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(toInt(v, path));
    }

    private int toInt(JsonNode v, String key) {
        String s = text(v, key);
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw error(key, "'" + s + "' is not a whole number");
        }
    }

    private java.util.Optional<Boolean> bool(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return java.util.Optional.empty();
        }
        String s = text(v, "broker." + key);
        return switch (s) {
            case "true" -> java.util.Optional.of(true);
            case "false" -> java.util.Optional.of(false);
            default -> throw error("broker." + key, "'" + s + "' must be true or false");
        };
    }

    private String text(JsonNode v, String key) {
        if (v.isContainer()) {
            throw error(key, "must be a single value, not a " + (v.isArray() ? "list" : "mapping"));
        }
        return substitute(v.asString(), key);
    }

    private String substitute(String value, String key) {
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.apply(m.group(1));
            if (v == null || (v.isEmpty() && m.group(2) != null)) {
                v = m.group(2);
            }
            if (v == null) {
                throw error(key, "environment variable " + m.group(1) + " is not set; set it or write ${"
                        + m.group(1) + ":-default}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void requireObject(JsonNode node, String key) {
        if (!node.isObject()) {
            throw error(key, "must be a mapping (key: value lines)");
        }
    }

    private void checkKeys(JsonNode node, String path, Set<String> known) {
        for (String k : node.propertyNames()) {
            if (!known.contains(k)) {
                String hint = known.stream().filter(x -> close(x, k)).findFirst()
                        .map(x -> " (did you mean '" + x + "'?)").orElse("; known keys: " + known.stream().sorted().toList());
                throw error(path + "." + k, "unknown key" + hint);
            }
        }
    }

    private static boolean close(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return x.equals(y) || distance(x, y) <= 2;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private BrokerConfigException error(String key, String message) {
        return new BrokerConfigException(source + ": " + key + ": " + message);
    }

    private static String locationOf(JacksonException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }
}
