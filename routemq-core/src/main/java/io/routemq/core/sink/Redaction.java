package io.routemq.core.sink;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The one way a URL is shown in output, logs and error messages: secrets are replaced by {@code ****}, the rest
 * stays readable. Every sink, the CLI and the config errors use it.
 *
 * <ul>
 *   <li>user info: replaced whole ({@code ****@}): it holds a password, or a token written as a user name;</li>
 *   <li>query: every parameter keeps its name and loses its value ({@code ?token=****&v=****}); a parameter
 *       without {@code =} is replaced whole;</li>
 *   <li>fragment: replaced ({@code #****}).</li>
 * </ul>
 * Example: {@code http://user:pw@host:8080/in?token=T} is shown as {@code http://****@host:8080/in?token=****}.
 */
public final class Redaction {

    /** What stands for a hidden secret. */
    public static final String MASK = "****";

    private Redaction() {
    }

    /** The URL with its secrets masked; see the class comment. */
    public static String url(URI uri) {
        if (uri == null) return "null";
        if (uri.isOpaque()) return uri.getScheme() + ":" + MASK;
        StringBuilder sb = new StringBuilder();
        if (uri.getScheme() != null) sb.append(uri.getScheme()).append(':');
        if (uri.getRawAuthority() != null) {
            sb.append("//");
            if (uri.getHost() != null) {
                if (uri.getRawUserInfo() != null) sb.append(MASK).append('@');
                sb.append(uri.getHost());
                if (uri.getPort() >= 0) sb.append(':').append(uri.getPort());
            } else {
                // a registry-based authority (a host name Java does not accept, such as one with '_')
                String auth = uri.getRawAuthority();
                int at = auth.lastIndexOf('@');
                if (at >= 0) sb.append(MASK).append('@');
                sb.append(auth.substring(at + 1));
            }
        }
        if (uri.getRawPath() != null) sb.append(uri.getRawPath());
        if (uri.getRawQuery() != null) sb.append('?').append(query(uri.getRawQuery()));
        if (uri.getRawFragment() != null) sb.append('#').append(MASK);
        return sb.toString();
    }

    /**
     * Text written as a URL, with its secrets masked. Text that parses as a URI is shown as {@link #url(URI)} shows
     * it; other text, best effort, the same way: what lies between {@code //} and the last {@code @} before the path,
     * the query values and the fragment are masked.
     */
    public static String url(String text) {
        if (text == null) return "null";
        String t = text.strip();
        if (!t.contains("//")) {
            // no scheme: "user:pw@host/path" is still user info, not a scheme "user"
            int end = t.indexOf('/') < 0 ? t.length() : t.indexOf('/');
            int at = end == 0 ? -1 : t.lastIndexOf('@', end - 1);
            if (at >= 0) return MASK + "@" + url("//" + t.substring(at + 1)).substring(2);
        }
        try {
            return url(new URI(t));
        } catch (URISyntaxException e) {
            String rest = t;
            String fragment = "";
            int hash = rest.indexOf('#');
            if (hash >= 0) {
                fragment = "#" + MASK;
                rest = rest.substring(0, hash);
            }
            String query = "";
            int q = rest.indexOf('?');
            if (q >= 0) {
                query = "?" + query(rest.substring(q + 1));
                rest = rest.substring(0, q);
            }
            int slashes = rest.indexOf("//");
            if (slashes >= 0) {
                int start = slashes + 2;
                int pathStart = rest.indexOf('/', start);
                int end = pathStart < 0 ? rest.length() : pathStart;
                int at = rest.lastIndexOf('@', end - 1);
                if (at >= start) rest = rest.substring(0, start) + MASK + rest.substring(at);
            }
            return rest + query + fragment;
        }
    }

    private static String query(String raw) {
        if (raw.isEmpty()) return raw;
        StringBuilder sb = new StringBuilder();
        for (String part : raw.split("&", -1)) {
            if (sb.length() > 0) sb.append('&');
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            sb.append(eq < 0 ? MASK : part.substring(0, eq + 1) + MASK);
        }
        return sb.toString();
    }
}
