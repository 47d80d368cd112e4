package io.routemq.config;

/** Small text helpers for messages. */
public final class Messages {
    private Messages() {
    }

    /** Cuts long text for a message and makes control characters visible. */
    public static String shorten(String s) {
        if (s == null) return "null";
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 84));
        for (int i = 0; i < s.length() && sb.length() < 80; i++) {
            char c = s.charAt(i);
            if (c == '\n') sb.append("\\n");
            else if (c == '\t') sb.append("\\t");
            else if (c < 0x20 || c == 0x7f) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        if (sb.length() >= 80 && s.length() > 80) {
            sb.setLength(77);
            sb.append("...");
        }
        return sb.toString();
    }

    /** Renders a map key in a key path: {@code .name} for plain keys, {@code ["odd.key"]} otherwise. */
    public static String key(String parent, String key) {
        boolean plain = !key.isEmpty();
        for (int i = 0; i < key.length() && plain; i++) {
            char c = key.charAt(i);
            plain = Character.isLetterOrDigit(c) || c == '_' || c == '-';
        }
        if (plain) return parent.isEmpty() ? key : parent + "." + key;
        return parent + "[\"" + shorten(key).replace("\"", "\\\"") + "\"]";
    }

    /** Renders a list index in a key path. */
    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
