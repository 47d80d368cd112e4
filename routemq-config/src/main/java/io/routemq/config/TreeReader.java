package io.routemq.config;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLParser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON or YAML document into {@link Node}s with Jackson's streaming parser, keeping the line and column of
 * every key and value. YAML anchors, aliases and {@code <<} merge keys are resolved here. Syntax errors, duplicate
 * keys and a second YAML document are reported to {@link Problems}; nothing else escapes.
 */
public final class TreeReader {

    /** The two syntaxes a config file may be written in. */
    public enum Syntax {
        /** YAML 1.2 (a JSON document is valid YAML too). */
        YAML,
        /** JSON. */
        JSON
    }

    private static final int MAX_DEPTH = 100;
    private static final JsonFactory JSON = JsonFactory.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).build();
    private static final YAMLFactory YAML = new YAMLFactory();

    private final Problems problems;
    private final Map<String, Node> anchors = new HashMap<>();
    private JsonParser parser;
    private Node.Location last = new Node.Location(1, 1);

    private TreeReader(Problems problems) {
        this.problems = problems;
    }

    /**
     * Reads a document.
     *
     * @return the root node, or null when the document is empty or could not be parsed (then an error was added,
     *         except for an empty document, which the caller reports)
     */
    public static Node read(String text, Syntax syntax, Problems problems) {
        return new TreeReader(problems).readDocument(text, syntax);
    }

    private Node readDocument(String text, Syntax syntax) {
        TokenStreamFactory factory = syntax == Syntax.JSON ? JSON : YAML;
        int before = problems.errorCount();
        try (JsonParser p = factory.createParser(ObjectReadContext.empty(), text)) {
            this.parser = p;
            JsonToken t = next();
            if (t == null) return null;
            Node root = readValue(t, "", 0);
            if (root == null) return null;
            JsonToken extra = next();
            if (extra != null) {
                problems.error(last, "", syntax == Syntax.YAML
                        ? "a second YAML document starts here; a config file holds one document"
                        : "unexpected content after the end of the JSON document", syntax == Syntax.YAML
                        ? "remove the '---' line and what follows, or merge the documents" : "remove it");
                return null;
            }
            return root;
        } catch (JacksonException e) {
            syntaxError(e, syntax, text);
            return null;
        } catch (TooDeep e) {
            problems.error(last, e.path, "nesting is deeper than " + MAX_DEPTH + " levels", "a config never needs that; check the indentation");
            return null;
        } catch (RuntimeException | StackOverflowError e) {
            // The YAML engine can fail in ways Jackson does not wrap; report them at the last good place.
            if (problems.errorCount() == before) {
                problems.error(last, "", "cannot parse the file as " + syntax + ": " + firstLine(String.valueOf(e.getMessage())),
                        "check the syntax near this line");
            }
            return null;
        }
    }

    private void syntaxError(JacksonException e, Syntax syntax, String text) {
        TokenStreamLocation loc = e.getLocation();
        Node.Location at = loc != null && loc.getLineNr() > 0 ? new Node.Location(loc.getLineNr(), Math.max(1, loc.getColumnNr())) : last;
        String msg = e.getOriginalMessage();
        if (msg == null || msg.isBlank()) msg = e.getClass().getSimpleName();
        // SnakeYAML names the context and then the problem ("line N, column M" each, 1-based); the problem's is the one to show.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("line (\\d+), column (\\d+)").matcher(msg);
        Node.Location problemAt = null;
        while (m.find()) problemAt = new Node.Location(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        if (syntax == Syntax.YAML && problemAt != null) at = problemAt;
        FlowStyle.Unquoted unquoted = syntax == Syntax.YAML ? FlowStyle.find(text, at.line()) : null;
        if (unquoted != null) {
            problems.error(unquoted.at(), "", unquoted.problem(), unquoted.hint());
            return;
        }
        problems.error(at, "", "invalid " + syntax + ": " + firstLine(msg), syntax == Syntax.YAML
                ? "check the indentation and quoting near this line" : "check the brackets, commas and quotes near this line");
    }

    private static String firstLine(String s) {
        // SnakeYAML writes "context\n in reader, line..\n  snippet\n  ^\nproblem\n in reader..."; keep the sentences.
        StringBuilder sb = new StringBuilder();
        for (String line : s.split("\n")) {
            if (line.isBlank() || Character.isWhitespace(line.charAt(0))) continue;
            if (sb.length() > 0) sb.append("; ");
            sb.append(line.strip());
        }
        String t = sb.length() == 0 ? s.strip() : sb.toString();
        // Jackson appends source references in brackets; they only repeat what we already say.
        int ref = t.indexOf(" at [Source");
        if (ref >= 0) t = t.substring(0, ref);
        t = t.replace("\t", " ");
        return t.length() > 200 ? t.substring(0, 197) + "..." : t;
    }

    private JsonToken next() {
        JsonToken t = parser.nextToken();
        if (t != null) last = location();
        return t;
    }

    private Node.Location location() {
        TokenStreamLocation l = parser.currentTokenLocation();
        if (l == null || l.getLineNr() <= 0) return last;
        return new Node.Location(l.getLineNr(), Math.max(1, l.getColumnNr()));
    }

    private static final class TooDeep extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String path;

        TooDeep(String path) {
            super(null, null, false, false);
            this.path = path;
        }
    }

    private Node readValue(JsonToken t, String path, int depth) {
        if (depth > MAX_DEPTH) throw new TooDeep(path);
        Node.Location at = location();
        String anchor = anchor();
        Node node;
        switch (t) {
            case START_OBJECT -> node = readMap(at, path, depth);
            case START_ARRAY -> node = readList(at, path, depth);
            case VALUE_STRING -> {
                if (parser instanceof YAMLParser yp && yp.isCurrentAlias()) {
                    String name = parser.getString();
                    Node target = anchors.get(name);
                    if (target == null) {
                        problems.error(at, path, "unknown YAML alias '*" + Messages.shorten(name) + "'", "define '&" + name + "' before using it");
                        return new Node.Scalar(null, at, false);
                    }
                    return target;
                }
                String s = parser.getString();
                // YAML's "~" is null in every YAML schema; a JSON string "~" stays a string.
                node = new Node.Scalar(parser instanceof YAMLParser && "~".equals(s) ? null : s, at, false);
            }
            case VALUE_NUMBER_INT -> node = new Node.Scalar(integer(), at, false);
            case VALUE_NUMBER_FLOAT -> node = new Node.Scalar(parser.getDecimalValue(), at, false);
            case VALUE_TRUE -> node = new Node.Scalar(Boolean.TRUE, at, false);
            case VALUE_FALSE -> node = new Node.Scalar(Boolean.FALSE, at, false);
            case VALUE_NULL -> node = new Node.Scalar(null, at, false);
            case VALUE_EMBEDDED_OBJECT -> node = new Node.Scalar(String.valueOf(parser.getEmbeddedObject()), at, false);
            default -> {
                problems.error(at, path, "unexpected " + t, "check the syntax near this line");
                return null;
            }
        }
        if (anchor != null && node != null) anchors.put(anchor, node);
        return node;
    }

    private Object integer() {
        return switch (parser.getNumberType()) {
            case INT, LONG -> parser.getLongValue();
            default -> parser.getBigIntegerValue();
        };
    }

    private String anchor() {
        if (parser instanceof YAMLParser) {
            Object id = parser.getObjectId();
            return id == null ? null : id.toString();
        }
        return null;
    }

    private Node readMap(Node.Location at, String path, int depth) {
        LinkedHashMap<String, Node.Entry> entries = new LinkedHashMap<>();
        List<Node.Entry> merges = new ArrayList<>();
        JsonToken t;
        while ((t = next()) != JsonToken.END_OBJECT) {
            if (t == null) throw new IllegalStateException("unexpected end of input inside a map");
            if (t != JsonToken.PROPERTY_NAME) {
                problems.error(location(), path, "expected a key, got " + t, "check the syntax near this line");
                return null;
            }
            String key = parser.currentName();
            Node.Location keyAt = location();
            String childPath = Messages.key(path, key);
            JsonToken vt = next();
            if (vt == null) throw new IllegalStateException("unexpected end of input after key '" + key + "'");
            Node value = readValue(vt, childPath, depth + 1);
            if (value == null && problems.hasErrors()) return null;
            if (parser instanceof YAMLParser && "<<".equals(key)) {
                merges.add(new Node.Entry(key, keyAt, value));
                continue;
            }
            Node.Entry previous = entries.get(key);
            if (previous != null) {
                problems.error(keyAt, childPath, "duplicate key '" + Messages.shorten(key) + "' (first at line "
                        + previous.keyLocation().line() + ")", "remove one of them");
                continue;
            }
            entries.put(key, new Node.Entry(key, keyAt, value));
        }
        for (Node.Entry merge : merges) applyMerge(entries, merge, path);
        return new Node.MapNode(entries, at);
    }

    private void applyMerge(LinkedHashMap<String, Node.Entry> entries, Node.Entry merge, String path) {
        List<Node> sources = new ArrayList<>();
        if (merge.value() instanceof Node.ListNode list) sources.addAll(list.items());
        else sources.add(merge.value());
        for (Node source : sources) {
            if (source instanceof Node.MapNode m) {
                // Keys written in the map itself win over merged ones, and earlier merge sources over later ones.
                for (Node.Entry e : m.entries().values()) entries.putIfAbsent(e.key(), e);
            } else {
                problems.error(merge.keyLocation(), Messages.key(path, "<<"), "a YAML merge key needs a map or a list of maps, got "
                        + (source == null ? "nothing" : source.describe()), "write '<<: *anchorOfAMap'");
            }
        }
    }

    private Node readList(Node.Location at, String path, int depth) {
        List<Node> items = new ArrayList<>();
        JsonToken t;
        while ((t = next()) != JsonToken.END_ARRAY) {
            if (t == null) throw new IllegalStateException("unexpected end of input inside a list");
            Node item = readValue(t, Messages.index(path, items.size()), depth + 1);
            if (item == null && problems.hasErrors()) return null;
            items.add(item);
        }
        return new Node.ListNode(items, at);
    }
}
