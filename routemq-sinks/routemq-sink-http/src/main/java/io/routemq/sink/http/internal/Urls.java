package io.routemq.sink.http.internal;

import io.routemq.core.sink.Redaction;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * URL helpers: validation, credential stripping and the redacted form used in logs and errors.
 *
 * <p>Public only because {@code io.routemq.sink.http.HttpSinkConfig}, in this module, uses it; not API: other
 * modules must not use it.
 */
public final class Urls {

    private Urls() {
    }

    /**
     * Parses and checks one configured URL.
     *
     * @param where the key path for error messages, e.g. {@code urls[1]}
     * @throws IllegalArgumentException naming the key, the (redacted) value and the fix
     */
    public static URI parse(String where, String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(where + ": empty URL; give an http:// or https:// URL");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(where + ": '" + redactText(url) + "' is not a valid URL (" + e.getReason()
                    + " at index " + e.getIndex() + ")");
        }
        check(where, uri);
        return uri;
    }

    /** Checks an already parsed URL; see {@link #parse(String, String)}. */
    public static void check(String where, URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(where + ": '" + display(uri) + "' must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException(where + ": '" + display(uri) + "' has no host name");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException(where + ": '" + display(uri) + "' has a #fragment, which HTTP never sends; remove it");
        }
    }

    /** The URL without user info (what is actually requested). */
    public static URI withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) return uri;
        return URI.create(uri.getScheme() + "://" + hostPort(uri) + rawPathAndQuery(uri));
    }

    /** The form of a URL that is safe to log: the project's one redaction ({@link Redaction#url(URI)}). */
    public static String display(URI uri) {
        return Redaction.url(uri);
    }

    /** A short stable id of a URL (8 hex digits of the SHA-256 of its credential-free form). */
    public static String shortId(URI uri) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(withoutUserInfo(uri).toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String hostPort(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost();
        return uri.getPort() >= 0 ? host + ":" + uri.getPort() : host;
    }

    private static String rawPathAndQuery(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return path + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
    }

    /** Text that did not even parse as a URL, with its secrets masked as well as can be. */
    private static String redactText(String url) {
        return Redaction.url(url);
    }
}
