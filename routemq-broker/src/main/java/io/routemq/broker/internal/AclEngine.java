package io.routemq.broker.internal;

import io.routemq.broker.BrokerConfig;
import io.routemq.broker.BrokerConfig.Action;
import io.routemq.broker.BrokerConfig.AclRule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Evaluates the ACL. {@link #forClient(String, String)} compiles the rules that apply to one connection
 * (user and client id known, {@code %u}/{@code %c} substituted) once; the result is asked per packet.
 *
 * <p>Semantics: a matching deny rule wins over a matching allow rule; no matching rule means the default.
 * A publish matches a rule when the topic matches the rule's filter. A subscription matches an allow rule when the
 * rule's filter covers every topic the subscription can receive, and a deny rule when the two filters share any
 * topic. A {@code $share/GROUP/} prefix is ignored.
 */
public final class AclEngine {

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
            Compiled c = new Compiled(rule.allow(), topic);
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

    private static boolean safeLevel(String v) {
        return v != null && !v.isEmpty() && v.indexOf('/') < 0 && v.indexOf('+') < 0 && v.indexOf('#') < 0;
    }

    private record Compiled(boolean allow, String filter) {
    }

    /** The ACL of one connection. Thread-safe. */
    public static final class ClientAcl {
        private static final int CACHE_LIMIT = 1024;

        private final boolean defaultAllow;
        private final List<Compiled> publish;
        private final List<Compiled> subscribe;
        private final ConcurrentHashMap<String, Boolean> publishCache = new ConcurrentHashMap<>();

        private ClientAcl(boolean defaultAllow, List<Compiled> publish, List<Compiled> subscribe) {
            this.defaultAllow = defaultAllow;
            this.publish = publish;
            this.subscribe = subscribe;
        }

        /** @return whether the client may publish to the topic */
        public boolean canPublish(String topic) {
            Boolean cached = publishCache.get(topic);
            if (cached != null) {
                return cached;
            }
            boolean allowed = decidePublish(topic);
            if (publishCache.size() >= CACHE_LIMIT) {
                publishCache.clear();
            }
            publishCache.put(topic, allowed);
            return allowed;
        }

        private boolean decidePublish(String topic) {
            boolean allowMatched = false;
            for (Compiled c : publish) {
                if (TopicFilters.matches(c.filter(), topic)) {
                    if (!c.allow()) {
                        return false;
                    }
                    allowMatched = true;
                }
            }
            return allowMatched || defaultAllow;
        }

        /** @return whether the client may subscribe to the filter (a {@code $share/GROUP/} prefix is ignored) */
        public boolean canSubscribe(String filter) {
            String f = TopicFilters.stripShare(filter);
            boolean allowMatched = false;
            for (Compiled c : subscribe) {
                if (c.allow()) {
                    allowMatched |= TopicFilters.covers(c.filter(), f);
                } else if (TopicFilters.intersects(c.filter(), f)) {
                    return false;
                }
            }
            return allowMatched || defaultAllow;
        }
    }
}
