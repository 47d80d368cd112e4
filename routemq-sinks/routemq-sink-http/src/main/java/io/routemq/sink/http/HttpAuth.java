package io.routemq.sink.http;

import java.util.Objects;

/** Request authentication. */
public sealed interface HttpAuth {
    /** No Authorization header (unless the URL carries user info). */
    record None() implements HttpAuth {
    }

    /**
     * {@code Authorization: Bearer <token>}.
     *
     * @param token the token
     */
    record Bearer(String token) implements HttpAuth {
        /** Validates the token. */
        public Bearer {
            if (token == null || token.isBlank()) throw new IllegalArgumentException("auth.bearer: the token is empty");
            if (token.indexOf('\r') >= 0 || token.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("auth.bearer: the token contains a line break");
            }
        }

        @Override
        public String toString() {
            return "Bearer[***]";
        }
    }

    /**
     * {@code Authorization: Basic base64(username:password)} (UTF-8).
     *
     * @param username the user name (must not contain ':')
     * @param password the password
     */
    record Basic(String username, String password) implements HttpAuth {
        /** Validates the parts. */
        public Basic {
            if (username == null || username.isEmpty()) throw new IllegalArgumentException("auth.basic.username: empty");
            if (username.indexOf(':') >= 0) {
                throw new IllegalArgumentException("auth.basic.username: must not contain ':' (basic auth separates user and password with it)");
            }
            Objects.requireNonNull(password, "auth.basic.password");
        }

        @Override
        public String toString() {
            return "Basic[username=" + username + ", password=***]";
        }
    }

    /** No authentication. */
    HttpAuth NONE = new None();
}
