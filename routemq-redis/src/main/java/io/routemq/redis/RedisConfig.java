package io.routemq.redis;

import io.lettuce.core.RedisURI;
import io.routemq.core.sink.Redaction;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how RouteMQ connects to Redis: the {@code redis:} section of {@code routemq.yaml}, and the schema it is
 * bound into. Build one with {@link #builder(String)}; open the connections with {@link RedisConnections#open}.
 *
 * @param uri            a Redis URI: {@code redis://[user:password@]host[:port][/database]}, {@code rediss://} for
 *                       TLS, {@code redis-socket://path}; validated when the record is built
 * @param connectTimeout how long opening a connection may take (default 5 s)
 * @param commandTimeout how long one command may take before it fails (default 5 s); blocking reads on a
 *                       {@linkplain RedisConnections#dedicated() dedicated connection} pass their own timeout
 * @param clientName     the name the connections announce with {@code CLIENT SETNAME} (default {@code routemq})
 */
public record RedisConfig(String uri, Duration connectTimeout, Duration commandTimeout, String clientName) {

    /** The default URI: a Redis on this machine. */
    public static final String DEFAULT_URI = "redis://127.0.0.1:6379";

    /** Validates the components; messages name the key a user writes under {@code redis:}. */
    public RedisConfig {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(clientName, "clientName");
        parse(uri);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("redis connectTimeout must be positive, got " + connectTimeout);
        }
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("redis commandTimeout must be positive, got " + commandTimeout);
        }
        if (clientName.isBlank() || clientName.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("redis clientName must be a non-empty word without spaces, got '"
                    + clientName + "'");
        }
    }

    /**
     * @param uri the Redis URI
     * @return a builder with the defaults
     */
    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    /** @return the configuration for {@link #DEFAULT_URI} with the defaults */
    public static RedisConfig defaults() {
        return builder(DEFAULT_URI).build();
    }

    /** @return a builder initialised from this configuration */
    public Builder toBuilder() {
        return new Builder(uri).connectTimeout(connectTimeout).commandTimeout(commandTimeout).clientName(clientName);
    }

    /** @return the URI with its password masked, for logs and listings */
    public String redactedUri() {
        try {
            return Redaction.url(URI.create(uri));
        } catch (IllegalArgumentException e) {
            return Redaction.MASK;
        }
    }

    /** @return this configuration with the URI redacted */
    @Override
    public String toString() {
        return "RedisConfig[uri=" + redactedUri() + ", connectTimeout=" + connectTimeout + ", commandTimeout="
                + commandTimeout + ", clientName=" + clientName + "]";
    }

    RedisURI toRedisUri() {
        RedisURI parsed = parse(uri);
        parsed.setTimeout(commandTimeout);
        parsed.setClientName(clientName);
        return parsed;
    }

    private static RedisURI parse(String uri) {
        String scheme = uri.contains("://") ? uri.substring(0, uri.indexOf("://")) : "";
        if (!scheme.equals("redis") && !scheme.equals("rediss") && !scheme.equals("redis-socket")) {
            throw new IllegalArgumentException("redis uri must start with redis://, rediss:// or redis-socket://, got '"
                    + redact(uri) + "'");
        }
        try {
            RedisURI parsed = RedisURI.create(uri);
            if (!scheme.equals("redis-socket") && (parsed.getHost() == null || parsed.getHost().isBlank())) {
                throw new IllegalArgumentException("no host");
            }
            return parsed;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("redis uri '" + redact(uri) + "' is not a valid Redis URI ("
                    + e.getMessage() + "); write redis://host:port/database", e);
        }
    }

    private static String redact(String uri) {
        int at = uri.lastIndexOf('@');
        int start = uri.indexOf("://");
        return at > 0 && start >= 0 && at > start ? uri.substring(0, start + 3) + Redaction.MASK + uri.substring(at) : uri;
    }

    /** Builder of {@link RedisConfig}. */
    public static final class Builder {
        private String uri;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration commandTimeout = Duration.ofSeconds(5);
        private String clientName = "routemq";

        private Builder(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** @param uri the Redis URI @return this */
        public Builder uri(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /** @param connectTimeout connection timeout @return this */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** @param commandTimeout command timeout @return this */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
            return this;
        }

        /** @param clientName the name given to the connections @return this */
        public Builder clientName(String clientName) {
            this.clientName = clientName;
            return this;
        }

        /** @return the validated configuration */
        public RedisConfig build() {
            return new RedisConfig(uri, connectTimeout, commandTimeout, clientName);
        }
    }
}
