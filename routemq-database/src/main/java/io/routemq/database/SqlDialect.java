package io.routemq.database;

/** The SQL databases RouteMQ knows the dialect of (for its own tables, such as the jobs driver's). */
public enum SqlDialect {
    /** PostgreSQL ({@code jdbc:postgresql:}). */
    POSTGRESQL,
    /** MariaDB or MySQL ({@code jdbc:mariadb:}, {@code jdbc:mysql:}). */
    MARIADB,
    /** Any other JDBC database: usable as a plain DataSource, not by RouteMQ's own tables. */
    OTHER;

    /**
     * @param jdbcUrl a JDBC URL
     * @return the dialect its sub-protocol names
     */
    public static SqlDialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        return OTHER;
    }
}
