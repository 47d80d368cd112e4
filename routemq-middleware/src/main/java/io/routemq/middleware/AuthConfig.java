package io.routemq.middleware;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The options of {@link Auth}: the schema of a config route's {@code auth:} middleware. Either a token in a user
 * property, checked against a list ({@code tokens}) or a file of tokens ({@code tokensFile}, one per line, {@code #}
 * comments), or an HMAC-SHA256 signature of the payload in a user property ({@code hmacSecret}). {@link #toString()}
 * never shows a token or the secret.
 *
 * @param property   the user property that carries the token or signature (default {@code token}, or
 *                   {@code signature} with an HMAC secret)
 * @param tokens     the accepted tokens (the list and the file's, together)
 * @param tokensFile the file the tokens were read from, or null
 * @param hmacSecret the HMAC-SHA256 key, or null for token mode
 * @param encoding   how the signature is written in the property (default {@link Encoding#HEX})
 */
public record AuthConfig(String property, List<String> tokens, Path tokensFile, String hmacSecret, Encoding encoding) {

    /** How an HMAC signature is written. */
    public enum Encoding {
        /** Lowercase or uppercase hexadecimal (64 characters for SHA-256). */
        HEX,
        /** Base64, standard or URL-safe, with or without padding. */
        BASE64
    }

    /** Validates; messages name the key as written under {@code auth:}. */
    public AuthConfig {
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(encoding, "encoding");
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        if (property.isBlank()) throw new IllegalArgumentException("property: must name a user property");
        if (hmacSecret != null) {
            if (!tokens.isEmpty() || tokensFile != null) {
                throw new IllegalArgumentException("hmacSecret: an auth checks either tokens or an HMAC signature, not both");
            }
            if (hmacSecret.isEmpty()) throw new IllegalArgumentException("hmacSecret: must not be empty");
        } else {
            if (tokens.isEmpty()) {
                throw new IllegalArgumentException(tokensFile != null ? "tokensFile: the file holds no token"
                        : "tokens: an auth needs tokens (a list or a tokensFile) or an hmacSecret");
            }
            for (String t : tokens) {
                if (t == null || t.isEmpty()) throw new IllegalArgumentException("tokens: a token must not be empty");
            }
        }
    }

    /** @param tokens the accepted tokens @return options checking the {@code token} user property against them */
    public static AuthConfig tokens(List<String> tokens) {
        return new AuthConfig("token", tokens, null, null, Encoding.HEX);
    }

    /**
     * @param file one token per line; blank lines and lines starting with {@code #} are skipped
     * @return options checking the {@code token} user property against the file's tokens
     * @throws IllegalArgumentException naming {@code tokensFile} when the file cannot be read
     */
    public static AuthConfig tokensFile(Path file) {
        return new AuthConfig("token", readTokens(file), file, null, Encoding.HEX);
    }

    /** @param secret the HMAC-SHA256 key @return options checking the {@code signature} user property */
    public static AuthConfig hmac(String secret) {
        return new AuthConfig("signature", List.of(), null, secret, Encoding.HEX);
    }

    /** @param property the user property @return these options reading another user property */
    public AuthConfig withProperty(String property) {
        return new AuthConfig(property, tokens, tokensFile, hmacSecret, encoding);
    }

    /** @param encoding the signature's encoding @return these options with it */
    public AuthConfig withEncoding(Encoding encoding) {
        return new AuthConfig(property, tokens, tokensFile, hmacSecret, encoding);
    }

    /**
     * @param file a tokens file
     * @return its tokens
     * @throws IllegalArgumentException naming {@code tokensFile} when it cannot be read
     */
    public static List<String> readTokens(Path file) {
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) out.add(t);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("tokensFile: cannot read '" + file + "': " + e.getMessage(), e);
        }
    }

    /** @return whether this checks an HMAC signature rather than a token */
    public boolean hmac() {
        return hmacSecret != null;
    }

    /** @return the options without tokens or the secret */
    @Override
    public String toString() {
        return "AuthConfig[property=" + property + ", " + (hmac() ? "hmac, encoding=" + encoding
                : tokens.size() + " token(s)" + (tokensFile != null ? " from " + tokensFile : "")) + "]";
    }
}
