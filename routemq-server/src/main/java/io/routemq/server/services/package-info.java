/**
 * The process's connections to the services its config names: one {@link io.routemq.server.services.Services} holds
 * the Redis connections ({@code redis:}) and the database pool ({@code database:}) that the gateway's middleware, the
 * job store and the app's components share.
 */
package io.routemq.server.services;
