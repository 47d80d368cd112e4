package io.routemq.server.config.internal;

import io.routemq.config.Checks;
import io.routemq.config.Messages;
import io.routemq.config.Node;
import io.routemq.config.Obj;
import io.routemq.config.Problems;
import io.routemq.core.TopicPattern;
import io.routemq.core.config.Suggest;
import io.routemq.core.config.Values;
import io.routemq.middleware.AuthConfig;
import io.routemq.middleware.DedupConfig;
import io.routemq.middleware.KeySource;
import io.routemq.middleware.LogConfig;
import io.routemq.middleware.RateLimitConfig;
import io.routemq.middleware.Store;
import io.routemq.server.services.Services;
import io.routemq.middleware.ValidateConfig;
import io.routemq.server.config.MiddlewareConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static java.util.Map.entry;

/**
 * Reads the options of the shipped middleware from routemq-middleware ({@code rateLimit}, {@code auth},
 * {@code validate}, {@code dedup}, {@code log}) into that module's option records. What a record refuses is reported
 * at the key its message names, under the middleware's path.
 */
final class MiddlewareReader {
    private static final String[] RATE_LIMIT = {"key", "tokenBucket", "fixedWindow", "slidingWindow", "onLimit", "store", "maxKeys",
            "redisTimeout", "redisRetry"};
    private static final String[] AUTH = {"tokens", "tokensFile", "property", "hmacSecret", "encoding"};
    private static final String[] VALIDATE = {"schema", "deadLetter", "maxErrors"};
    private static final String[] DEDUP = {"key", "ttl", "store", "maxKeys", "redisTimeout", "redisRetry"};
    private static final String[] LOG = {"level", "sample", "payload", "maxPayload", "logger"};

    private static final Map<String, Store> STORES = Obj.choices(entry("local", Store.LOCAL), entry("redis", Store.REDIS));

    private final Problems p;
    private final boolean redisConfigured;

    /**
     * @param redisConfigured whether the config has a {@code redis:} section ({@code store: redis} needs one)
     */
    MiddlewareReader(Problems p, boolean redisConfigured) {
        this.p = p;
        this.redisConfigured = redisConfigured;
    }

    /** {@code store: local | redis}; redis only with a {@code redis:} section (Redis is used only where configured). */
    private Store store(Obj o) {
        Store store = o.choice("store", Store.LOCAL, STORES);
        if (store == Store.REDIS && !redisConfigured) {
            p.error(o.at("store"), o.path("store"), "redis", "store: redis needs a redis: section, and the config has none",
                    "add one, such as " + Services.REDIS_EXAMPLE + ", or use store: local");
        }
        return store;
    }

    /**
     * @param kind    the middleware's name (not {@code filter})
     * @param entry   its entry in the list: the name and the options
     * @param path    the entry's key path ({@code routes[i].middleware[j].<kind>})
     * @param route   the route's name (scopes Redis keys); null when the route has none yet
     * @param pattern the route's topic pattern, or null when it is invalid
     * @param sinks   the names under {@code sinks:}
     * @return the options, or null after reporting an error
     */
    MiddlewareConfig read(String kind, Node.Entry entry, String path, String route, TopicPattern pattern, Set<String> sinks) {
        String[] keys = switch (kind) {
            case "rateLimit" -> RATE_LIMIT;
            case "auth" -> AUTH;
            case "validate" -> VALIDATE;
            case "dedup" -> DEDUP;
            case "log" -> LOG;
            default -> throw new IllegalArgumentException(kind);
        };
        Obj o = Obj.of(p, entry.value(), path, entry.keyLocation(), false, keys);
        String scope = route == null || route.isBlank() ? "default" : route;
        return switch (kind) {
            case "rateLimit" -> built(o, () -> rateLimit(o, scope, pattern), MiddlewareConfig.RateLimit::new);
            case "auth" -> built(o, () -> auth(o), MiddlewareConfig.Auth::new);
            case "validate" -> built(o, () -> validate(o, sinks), MiddlewareConfig.Validate::new);
            case "dedup" -> built(o, () -> dedup(o, scope), MiddlewareConfig.Dedup::new);
            default -> built(o, () -> log(o), MiddlewareConfig.Log::new);
        };
    }

    /** Builds the record; a refusal goes to the key it names. Null when an error was reported (here or while reading). */
    private <C> MiddlewareConfig built(Obj o, Supplier<C> build, java.util.function.Function<C, MiddlewareConfig> wrap) {
        int before = p.errorCount();
        C c;
        try {
            c = build.get();
        } catch (IllegalArgumentException e) {
            refused(o, e.getMessage());
            return null;
        }
        return c == null || p.errorCount() > before ? null : wrap.apply(c);
    }

    private void refused(Obj o, String msg) {
        int colon = msg.indexOf(": ");
        String key = colon > 0 && msg.substring(0, colon).matches("[A-Za-z][A-Za-z0-9.]*") ? msg.substring(0, colon) : null;
        if (key == null) {
            p.error(o.location(), o.path(), msg, null);
            return;
        }
        String first = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
        p.error(o.has(first) ? o.at(first) : o.location(), o.path() + "." + key, msg.substring(colon + 2), null);
    }

    // ---------------------------------------------------------------- rateLimit

    private RateLimitConfig rateLimit(Obj o, String route, TopicPattern pattern) {
        List<String> algorithms = new ArrayList<>();
        for (String a : List.of("tokenBucket", "fixedWindow", "slidingWindow")) if (o.has(a)) algorithms.add(a);
        if (algorithms.size() != 1) {
            p.error(o.location(), o.path(), algorithms.isEmpty() ? "a rate limit needs an algorithm"
                    : "a rate limit takes one algorithm, got " + String.join(", ", algorithms),
                    "one of tokenBucket: {rate: 10/s, burst: 50}, fixedWindow: {limit: 100, window: 1m}, slidingWindow: {limit: 100, window: 1m}");
            return null;
        }
        String algorithm = algorithms.get(0);
        RateLimitConfig.Builder b;
        if (algorithm.equals("tokenBucket")) {
            Obj a = o.obj(algorithm, "rate", "burst");
            long[] rate = rate(a);
            if (rate == null) return null;
            b = RateLimitConfig.tokenBucket(rate[0], Duration.ofMillis(rate[1]));
            if (a.has("burst")) b.burst(a.longValue("burst", rate[0], 1, Long.MAX_VALUE));
        } else {
            Obj a = o.obj(algorithm, "limit", "window");
            if (!a.has("limit") || !a.has("window")) {
                p.error(o.at(algorithm), a.path(), "a window needs a limit and a window", "e.g. " + algorithm + ": {limit: 100, window: 1m}");
                return null;
            }
            long limit = a.longValue("limit", 1, 1, Long.MAX_VALUE);
            Duration window = a.duration("window", Duration.ofSeconds(1));
            b = algorithm.equals("fixedWindow") ? RateLimitConfig.fixedWindow(limit, window) : RateLimitConfig.slidingWindow(limit, window);
        }
        if (o.has("key")) {
            KeySource key = key(o, pattern);
            if (key == null) return null;
            b.key(key);
        }
        b.onLimit(o.choice("onLimit", RateLimitConfig.OnLimit.DROP, Obj.choices(entry("drop", RateLimitConfig.OnLimit.DROP),
                entry("delay", RateLimitConfig.OnLimit.DELAY))));
        b.store(store(o));
        b.maxKeys(o.integer("maxKeys", 100_000, 1, Integer.MAX_VALUE));
        b.redisTimeout(o.duration("redisTimeout", Duration.ofMillis(250)));
        b.redisRetry(o.duration("redisRetry", Duration.ofSeconds(1)));
        b.scope(route);
        return b.build();
    }

    /** {@code rate: 10/s}, {@code 100/1m}, {@code 5/100ms}: {permits, period in ms}, or null after an error. */
    private long[] rate(Obj a) {
        String text = a.has("rate") ? a.string("rate", null) : null;
        if (text == null) {
            p.error(a.location(), a.path("rate"), "a token bucket needs a rate", "e.g. tokenBucket: {rate: 10/s, burst: 50}");
            return null;
        }
        int slash = text.indexOf('/');
        Long n = null;
        Duration per = null;
        if (slash > 0) {
            try {
                n = Long.parseLong(text.substring(0, slash).strip());
            } catch (NumberFormatException e) {
                n = null;
            }
            String unit = text.substring(slash + 1).strip();
            per = Values.parseDuration(unit.isEmpty() || Character.isDigit(unit.charAt(0)) ? unit : "1" + unit);
        }
        if (n == null || per == null) {
            p.error(a.at("rate"), a.path("rate"), text, "not a rate", "write messages per period, like 10/s, 600/1m or 5/100ms");
            return null;
        }
        return new long[]{n, per.toMillis()};
    }

    private KeySource key(Obj o, TopicPattern pattern) {
        String text = o.string("key", null);
        KeySource key;
        try {
            key = KeySource.parse(text);
        } catch (IllegalArgumentException e) {
            p.error(o.at("key"), o.path("key"), text, "not a key", "key: param.<name> | userProperty.<name> | topic | session");
            return null;
        }
        if (key.kind() == KeySource.Kind.PARAM && pattern != null && !pattern.paramNames().contains(key.name())) {
            String close = Suggest.closest(key.name(), pattern.paramNames());
            p.error(o.at("key"), o.path("key"), text, "'" + key.name() + "' is not a parameter of the route's topic",
                    pattern.paramNames().isEmpty() ? "the topic '" + pattern + "' has no {parameters}"
                            : close != null ? "did you mean 'param." + close + "'?" : "its parameters: " + String.join(", ", pattern.paramNames()));
            return null;
        }
        return key;
    }

    // ---------------------------------------------------------------- auth, validate, dedup, log

    private AuthConfig auth(Obj o) {
        String secret = o.string("hmacSecret", null);
        List<String> tokens = new ArrayList<>(o.strings("tokens"));
        Path file = null;
        if (o.has("tokensFile")) {
            file = Checks.file(p, o.at("tokensFile"), o.path("tokensFile"), o.string("tokensFile", ""));
            if (file == null || !java.nio.file.Files.isRegularFile(file)) return null;
            tokens.addAll(AuthConfig.readTokens(file));
        }
        String property = o.string("property", secret != null ? "signature" : "token");
        AuthConfig.Encoding encoding = o.choice("encoding", AuthConfig.Encoding.HEX,
                Obj.choices(entry("hex", AuthConfig.Encoding.HEX), entry("base64", AuthConfig.Encoding.BASE64)));
        if (secret == null && tokens.isEmpty() && file == null) {
            p.error(o.location(), o.path(), "an auth needs tokens, a tokensFile or an hmacSecret",
                    "e.g. auth: {tokens: [\"${DEVICE_TOKEN}\"]} or auth: {hmacSecret: ${SIGNING_KEY}}");
            return null;
        }
        return new AuthConfig(property, tokens, file, secret, encoding);
    }

    private ValidateConfig validate(Obj o, Set<String> sinks) {
        String schema = o.requiredString("schema", "schema: path/to/schema.json");
        if (schema == null) return null;
        Path file = Checks.file(p, o.at("schema"), o.path("schema"), schema);
        if (file == null || !java.nio.file.Files.isRegularFile(file)) return null;
        ValidateConfig c = ValidateConfig.schemaFile(file).withMaxErrors(o.integer("maxErrors", 10, 1, 1000));
        if (o.has("deadLetter")) {
            String sink = o.string("deadLetter", null);
            if (sink != null && !sinks.contains(sink)) {
                p.error(o.at("deadLetter"), o.path("deadLetter"), "unknown sink '" + Messages.shorten(sink) + "'",
                        sinks.isEmpty() ? "define it under sinks:" : Suggest.hint(sink, sinks, "known sinks"));
                return null;
            }
            c = c.deadLetterTo(sink);
        }
        return c;
    }

    private DedupConfig dedup(Obj o, String route) {
        String key = o.string("key", "payload");
        String property;
        try {
            property = DedupConfig.parseKey(key);
        } catch (IllegalArgumentException e) {
            p.error(o.at("key"), o.path("key"), key, "not a dedup key", "key: payload | userProperty.<name>");
            return null;
        }
        Duration ttl = o.duration("ttl", Duration.ofMinutes(5));
        return new DedupConfig(property, ttl, store(o), o.integer("maxKeys", 100_000, 1, Integer.MAX_VALUE),
                route, o.duration("redisTimeout", Duration.ofMillis(250)), o.duration("redisRetry", Duration.ofSeconds(1)));
    }

    private LogConfig log(Obj o) {
        LogConfig.Level level = o.choice("level", LogConfig.Level.INFO, Obj.choices(entry("trace", LogConfig.Level.TRACE),
                entry("debug", LogConfig.Level.DEBUG), entry("info", LogConfig.Level.INFO), entry("warn", LogConfig.Level.WARN)));
        return new LogConfig(level, o.decimal("sample", 1, 0, 1), o.bool("payload", false),
                o.integer("maxPayload", 256, 1, 1 << 20), o.string("logger", "routemq.messages"));
    }
}
