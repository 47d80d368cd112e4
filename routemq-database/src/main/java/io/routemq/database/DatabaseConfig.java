package io.routemq.database;

import java.time.Duration;
import java.util.Objects;

/**
 * Which SQL database RouteMQ connects to and how big its pool is: the {@code database:} section of
 * {@code routemq.yaml}, and the schema it is bound into. Build one with {@link #builder(String)}; open the pool with
 * {@link DatabasePool#open}.
 *
 * @param url               a JDBC URL: {@code jdbc:postgresql://host:5432/db} or {@code jdbc:mariadb://host:3306/db}
 *                          (the drivers of both ship with this module)
 * @param username          the user, or empty for the driver's default
 * @param password          the password, or empty; never logged
 * @param maxPoolSize       most connections the pool holds (default 10, 1..1000)
 * @param minIdle           idle connections the pool keeps (default 0, at most {@code maxPoolSize}): 0 opens none
 *                          until the first use
 * @param connectionTimeout how long taking a connection from the pool may wait (default 5 s, at least 250 ms)
 */
public record DatabaseConfig(String url, String username, String password, int maxPoolSize, int minIdle,
                             Duration connectionTimeout) {

    /** Validates the components; messages name the key a user writes under {@code database:}. */
    public DatabaseConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        if (!url.startsWith("jdbc:") || url.length() <= "jdbc:x:".length() || url.indexOf(':', 5) < 0) {
            throw new IllegalArgumentException("database url must be a JDBC URL such as "
                    + "jdbc:postgresql://127.0.0.1:5432/test, got '" + url + "'");
        }
        if (maxPoolSize < 1 || maxPoolSize > 1000) {
            throw new IllegalArgumentException("database maxPoolSize must be between 1 and 1000, got " + maxPoolSize);
        }
        if (minIdle < 0 || minIdle > maxPoolSize) {
            throw new IllegalArgumentException("database minIdle must be between 0 and maxPoolSize (" + maxPoolSize
                    + "), got " + minIdle);
        }
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("database connectionTimeout must be at least 250ms, got "
                    + connectionTimeout);
        }
    }

    /**
     * @param url the JDBC URL
     * @return a builder with the defaults
     */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** @return a builder initialised from this configuration */
    public Builder toBuilder() {
        return new Builder(url).username(username).password(password).maxPoolSize(maxPoolSize).minIdle(minIdle)
                .connectionTimeout(connectionTimeout);
    }

    /** @return the kind of database the URL names */
    public SqlDialect dialect() {
        return SqlDialect.of(url);
    }

    /** @return the URL with any {@code password=} parameter masked, for logs and listings */
    public String redactedUrl() {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    /** @return this configuration without the password */
    @Override
    public String toString() {
        return "DatabaseConfig[url=" + redactedUrl() + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "****")
                + ", maxPoolSize=" + maxPoolSize + ", minIdle=" + minIdle + ", connectionTimeout=" + connectionTimeout
                + "]";
    }

    /** Builder of {@link DatabaseConfig}. */
    public static final class Builder {
        private String url;
        private String username = "";
        private String password = "";
        private int maxPoolSize = 10;
        private int minIdle = 0;
        private Duration connectionTimeout = Duration.ofSeconds(5);

        private Builder(String url) {
            this.url = Objects.requireNonNull(url, "url");
        }

        /** @param url the JDBC URL @return this */
        public Builder url(String url) {
            this.url = Objects.requireNonNull(url, "url");
            return this;
        }

        /** @param username the user @return this */
        public Builder username(String username) {
            this.username = username;
            return this;
        }

        /** @param password the password @return this */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** @param maxPoolSize most pooled connections @return this */
        public Builder maxPoolSize(int maxPoolSize) {
            this.maxPoolSize = maxPoolSize;
            return this;
        }

        /** @param minIdle idle connections kept @return this */
        public Builder minIdle(int minIdle) {
            this.minIdle = minIdle;
            return this;
        }

        /** @param connectionTimeout wait for a pooled connection @return this */
        public Builder connectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        /** @return the validated configuration */
        public DatabaseConfig build() {
            return new DatabaseConfig(url, username, password, maxPoolSize, minIdle, connectionTimeout);
        }
    }
}
