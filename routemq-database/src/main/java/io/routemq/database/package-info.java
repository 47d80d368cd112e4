/**
 * SQL for RouteMQ applications and jobs: {@link io.routemq.database.DatabaseConfig} (the {@code database:} section)
 * and {@link io.routemq.database.DatabasePool} (a HikariCP pool with the PostgreSQL and MariaDB drivers).
 */
package io.routemq.database;
