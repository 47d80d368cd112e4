package io.routemq.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in every string value (never in keys, and not in
 * {@code sinks.<name>.http.template}, whose placeholders use the same syntax). As in a POSIX shell,
 * the default applies when the variable is unset or empty. {@code $${} writes a literal {@code ${}. A variable that
 * is unset and has no default is an error naming the variable and its place.
 */
public final class EnvSubstitution {

    private final Map<String, String> env;
    private final Problems problems;

    private EnvSubstitution(Map<String, String> env, Problems problems) {
        this.env = env;
        this.problems = problems;
    }

    /** Returns a copy of the tree with every string value substituted. */
    public static Node apply(Node root, Map<String, String> env, Problems problems) {
        return new EnvSubstitution(env, problems).walk(root, "");
    }

    private Node walk(Node node, String path) {
        if (node == null) return null;
        return switch (node) {
            case Node.MapNode m -> {
                LinkedHashMap<String, Node.Entry> out = new LinkedHashMap<>();
                for (Node.Entry e : m.entries().values()) {
                    out.put(e.key(), new Node.Entry(e.key(), e.keyLocation(), walk(e.value(), Messages.key(path, e.key()))));
                }
                yield new Node.MapNode(out, m.location());
            }
            case Node.ListNode l -> {
                List<Node> out = new ArrayList<>(l.items().size());
                for (int i = 0; i < l.items().size(); i++) out.add(walk(l.items().get(i), Messages.index(path, i)));
                yield new Node.ListNode(out, l.location());
            }
            case Node.Scalar s -> {
                if (!(s.value() instanceof String text) || !text.contains("${") || isTemplate(path)) yield s;
                String replaced = substitute(text, s.location(), path);
                yield new Node.Scalar(replaced, s.location(), true);
            }
        };
    }

    /** An HTTP body template keeps its {@code ${...}}: they are the sink's placeholders ({@code ${topic}}, ...). */
    static boolean isTemplate(String path) {
        return path.startsWith("sinks") && path.endsWith(".http.template");
    }

    /** Substitutes one string; reports problems and leaves the bad reference as written. */
    String substitute(String text, Node.Location at, String path) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
                continue;
            }
            if (c != '$' || !text.startsWith("${", i)) {
                out.append(c);
                i++;
                continue;
            }
            int close = text.indexOf('}', i + 2);
            if (close < 0) {
                problems.error(at, path, text, "unclosed '${' at character " + (i + 1),
                        "write ${NAME} or ${NAME:-default}; write $${ for a literal ${");
                return text;
            }
            String body = text.substring(i + 2, close);
            int sep = body.indexOf(":-");
            String name = sep >= 0 ? body.substring(0, sep) : body;
            String fallback = sep >= 0 ? body.substring(sep + 2) : null;
            if (!validName(name)) {
                problems.error(at, path, text, "'${" + Messages.shorten(body) + "}' is not a valid variable reference",
                        "names are letters, digits and '_', not starting with a digit; write ${NAME} or ${NAME:-default}");
                return text;
            }
            String value = env.get(name);
            if (value == null || value.isEmpty()) {
                if (fallback != null) value = fallback;
                else if (value == null) {
                    problems.error(at, path, "environment variable " + name + " is not set",
                            "set it, or write ${" + name + ":-default}");
                    value = "";
                }
            }
            out.append(value);
            i = close + 1;
        }
        return out.toString();
    }

    private static boolean validName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) return false;
        }
        return true;
    }
}
