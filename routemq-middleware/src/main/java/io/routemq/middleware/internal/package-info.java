/** The state behind the shipped middleware: local limiters and memories, their Redis scripts, the Redis fallback. */
package io.routemq.middleware.internal;
