package io.routemq.broker.internal;

import io.routemq.broker.BrokerConfig;
import io.routemq.broker.BrokerConfig.Action;
import io.routemq.broker.BrokerConfig.AclRule;
import io.routemq.core.InvalidPatternException;
import io.routemq.core.TopicPattern;
import io.routemq.core.TopicPattern.Level;
import io.routemq.core.TopicPattern.LevelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Evaluates the ACL. {@link #forClient(String, String)} compiles the rules that apply to one connection
 * (user and client id known, {@code %u}/{@code %c} substituted) once; the result is asked per packet.
 *
 * <p>Semantics (docs/broker.md, "ACL"): for one topic, a matching deny rule wins over a matching allow rule, and no
 * matching rule means the default. Publish rules decide each publish. Subscribe rules decide what a client may
 * read: each delivery is checked against them ({@link ClientAcl#canRead(String)}), so a subscription never carries a
 * topic the client may not read. A subscription itself is refused only when nothing it matches could ever be
 * delivered: a deny rule covers the whole filter, or the default is deny and no allow rule shares a topic with it
 * ({@link ClientAcl#canSubscribe(String)}). A {@code $share/GROUP/} prefix is ignored. Topic matching and covering
 * are core's ({@link TopicPattern}).
 */
final class AclEngine {

    private final BrokerConfig.Acl acl;

    /** @param acl the ACL config */
    public AclEngine(BrokerConfig.Acl acl) {
        this.acl = acl;
    }

    /**
     * @param user     user name, {@code null} for anonymous
     * @param clientId client id
     * @return the rules for that client
     */
    public ClientAcl forClient(String user, String clientId) {
        List<Compiled> pub = new ArrayList<>();
        List<Compiled> sub = new ArrayList<>();
        for (AclRule rule : acl.rules()) {
            if (!nameMatches(rule.user(), user) || !nameMatches(rule.clientId(), clientId)) {
                continue;
            }
            String topic = substitute(rule.topic(), user, clientId);
            if (topic == null) {
                continue;
            }
            Compiled c = new Compiled(rule.allow(), TopicPattern.parse(topic));
            if (rule.actions().contains(Action.PUBLISH)) {
                pub.add(c);
            }
            if (rule.actions().contains(Action.SUBSCRIBE)) {
                sub.add(c);
            }
        }
        return new ClientAcl(acl.defaultAllow(), List.copyOf(pub), List.copyOf(sub));
    }

    static boolean nameMatches(String pattern, String value) {
        if (pattern == null || pattern.equals("*")) {
            return true;
        }
        if (value == null) {
            return false;
        }
        if (pattern.indexOf('*') < 0) {
            return pattern.equals(value);
        }
        StringBuilder re = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!re.isEmpty()) {
                re.append(".*");
            }
            re.append(Pattern.quote(part));
        }
        return value.matches(re.toString());
    }

    /** @return the topic with %u and %c replaced, or null when a needed value is missing or unsafe */
    static String substitute(String topic, String user, String clientId) {
        String out = topic;
        if (out.contains("%u")) {
            if (!safeLevel(user)) {
                return null;
            }
            out = out.replace("%u", user);
        }
        if (out.contains("%c")) {
            if (!safeLevel(clientId)) {
                return null;
            }
            out = out.replace("%c", clientId);
        }
        return out;
    }

    /** A value substituted into a rule must stay one literal level: no '/', no wildcard, no '{...}' parameter. */
    private static boolean safeLevel(String v) {
        if (v == null || v.isEmpty()) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '/' || c == '+' || c == '#' || c == '{' || c == '}' || c == '\u0000') {
                return false;
            }
        }
        return true;
    }

    /**
     * The pattern a subscription filter is checked as: without {@code $share/GROUP/}, and with every level that holds
     * '{' or '}' read as {@code +} (a literal brace level is not a parameter; reading it as one level of any value
     * is broader, never narrower). Deliveries are checked by topic name, so this only decides the SUBACK.
     *
     * @return the pattern, or null when the filter is not a valid MQTT filter
     */
    static TopicPattern subscriptionPattern(String filter) {
        String f = stripShare(filter);
        if (f.indexOf('{') >= 0 || f.indexOf('}') >= 0) {
            String[] levels = f.split("/", -1);
            for (int i = 0; i < levels.length; i++) {
                if (levels[i].indexOf('{') >= 0 || levels[i].indexOf('}') >= 0) {
                    levels[i] = "+";
                }
            }
            f = String.join("/", levels);
        }
        try {
            return TopicPattern.parse(f);
        } catch (InvalidPatternException e) {
            return null;
        }
    }

    /** @return the filter without a {@code $share/GROUP/} prefix */
    static String stripShare(String filter) {
        if (filter.startsWith("$share/")) {
            int slash = filter.indexOf('/', 7);
            if (slash > 0) {
                return filter.substring(slash + 1);
            }
        }
        return filter;
    }

    /** @return whether some topic matches both patterns (parameters count as the wildcards they stand for) */
    static boolean intersects(TopicPattern a, TopicPattern b) {
        List<Level> x = a.levels();
        List<Level> y = b.levels();
        if (dollarExcluded(x, y) || dollarExcluded(y, x)) {
            return false;
        }
        int n = Math.min(x.size(), y.size());
        for (int i = 0; i < n; i++) {
            LevelKind kx = x.get(i).kind();
            LevelKind ky = y.get(i).kind();
            if (kx.isMulti() || ky.isMulti()) {
                return true;
            }
            if (kx == LevelKind.LITERAL && ky == LevelKind.LITERAL && !x.get(i).text().equals(y.get(i).text())) {
                return false;
            }
        }
        if (x.size() == y.size()) {
            return true;
        }
        List<Level> longer = x.size() > y.size() ? x : y;
        // "a/#" also matches "a"
        return longer.size() == n + 1 && longer.get(n).kind().isMulti();
    }

    /** @return whether every topic of {@code literal} starts with '$' while {@code wild} starts with a wildcard */
    private static boolean dollarExcluded(List<Level> literal, List<Level> wild) {
        return literal.get(0).kind() == LevelKind.LITERAL && literal.get(0).text().startsWith("$")
                && wild.get(0).kind() != LevelKind.LITERAL;
    }

    private record Compiled(boolean allow, TopicPattern filter) {
    }

    /** The ACL of one connection. Thread-safe. */
    public static final class ClientAcl {
        private static final int CACHE_LIMIT = 1024;

        private final boolean defaultAllow;
        private final List<Compiled> publish;
        private final List<Compiled> subscribe;
        private final ConcurrentHashMap<String, Boolean> publishCache = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Boolean> readCache = new ConcurrentHashMap<>();

        private ClientAcl(boolean defaultAllow, List<Compiled> publish, List<Compiled> subscribe) {
            this.defaultAllow = defaultAllow;
            this.publish = publish;
            this.subscribe = subscribe;
        }

        /** @return whether the client may publish to the topic */
        public boolean canPublish(String topic) {
            return cached(publishCache, publish, topic);
        }

        /** @return whether a message on the topic may be delivered to the client (its subscribe rules decide) */
        public boolean canRead(String topic) {
            return cached(readCache, subscribe, topic);
        }

        /** @return whether {@link #canRead(String)} can refuse any topic, i.e. deliveries need checking */
        public boolean filtersReads() {
            if (!defaultAllow) {
                return true;
            }
            for (Compiled c : subscribe) {
                if (!c.allow()) {
                    return true;
                }
            }
            return false;
        }

        private boolean cached(ConcurrentHashMap<String, Boolean> cache, List<Compiled> rules, String topic) {
            Boolean cached = cache.get(topic);
            if (cached != null) {
                return cached;
            }
            boolean allowed = decide(rules, topic);
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(topic, allowed);
            return allowed;
        }

        private boolean decide(List<Compiled> rules, String topic) {
            boolean allowMatched = false;
            for (Compiled c : rules) {
                if (c.filter().matches(topic)) {
                    if (!c.allow()) {
                        return false;
                    }
                    allowMatched = true;
                }
            }
            return allowMatched || defaultAllow;
        }

        /**
         * Whether the subscription is accepted (a {@code $share/GROUP/} prefix is ignored): it is refused when a deny
         * rule covers the whole filter, or when the default is deny and no allow rule shares a topic with it.
         * Otherwise it is accepted and each delivery is checked with {@link #canRead(String)}.
         */
        public boolean canSubscribe(String filter) {
            TopicPattern f = subscriptionPattern(filter);
            if (f == null) {
                return false;
            }
            boolean allowShares = false;
            for (Compiled c : subscribe) {
                if (!c.allow()) {
                    if (c.filter().covers(f)) {
                        return false;
                    }
                } else if (!allowShares && intersects(c.filter(), f)) {
                    allowShares = true;
                }
            }
            return defaultAllow || allowShares;
        }
    }
}
