package io.routemq.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.routemq.broker.BrokerConfig.Acl;
import io.routemq.broker.BrokerConfig.AclRule;
import io.routemq.broker.BrokerConfig.Action;
import io.routemq.core.TopicPattern;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclEngineTest {

    @Test
    void denyWinsSubstitutionAndScoping() {
        Acl acl = new Acl(false, List.of(
                AclRule.allow("tenants/%u/#"),
                AclRule.deny("tenants/%u/secrets/#"),
                AclRule.allow("devices/%c/up", Action.PUBLISH),
                AclRule.allow("ops/#", Action.SUBSCRIBE).forUser("ops-*"),
                AclRule.allow("gw/#").forClientId("gateway-1")));
        AclEngine engine = new AclEngine(acl);
        AclEngine.ClientAcl bob = engine.forClient("bob", "dev-7");
        assertThat(bob.canPublish("tenants/bob/x")).isTrue();
        assertThat(bob.canPublish("tenants/alice/x")).isFalse();
        assertThat(bob.canPublish("tenants/bob/secrets/k")).isFalse();
        // a subscription that overlaps a deny rule is accepted; its deliveries are filtered
        assertThat(bob.canSubscribe("tenants/bob/#")).isTrue();
        assertThat(bob.canRead("tenants/bob/x")).isTrue();
        assertThat(bob.canRead("tenants/bob/secrets/k")).isFalse();
        assertThat(bob.canSubscribe("tenants/bob/+")).isTrue();
        assertThat(bob.canSubscribe("tenants/bob/data/+")).isTrue();
        // a deny rule that covers the whole filter refuses it
        assertThat(bob.canSubscribe("tenants/bob/secrets/#")).isFalse();
        assertThat(bob.canSubscribe("tenants/bob/secrets/+/x")).isFalse();
        assertThat(bob.canSubscribe("$share/g/tenants/bob/secrets/k")).isFalse();
        // default deny: nothing an allow rule names is refused too; '#' shares topics with tenants/bob/#
        assertThat(bob.canSubscribe("tenants/alice/#")).isFalse();
        assertThat(bob.canSubscribe("#")).isTrue();
        assertThat(bob.canRead("tenants/alice/x")).isFalse();
        assertThat(bob.filtersReads()).isTrue();
        assertThat(bob.canPublish("devices/dev-7/up")).isTrue();
        assertThat(bob.canSubscribe("devices/dev-7/up")).isFalse();     // publish only
        assertThat(bob.canSubscribe("ops/#")).isFalse();
        assertThat(engine.forClient("ops-anna", "c").canSubscribe("$share/g/ops/+")).isTrue();
        assertThat(engine.forClient("x", "gateway-1").canPublish("gw/a")).isTrue();
        AclEngine.ClientAcl anonymous = engine.forClient(null, "dev-8");
        assertThat(anonymous.canPublish("tenants/null/x")).isFalse();   // %u rules skip anonymous clients
        assertThat(anonymous.canPublish("devices/dev-8/up")).isTrue();
        // a client id with wildcards or '/' never widens a %c rule
        assertThat(engine.forClient("bob", "+").canPublish("devices/+/up")).isFalse();
        assertThat(engine.forClient("bob", "a/b").canPublish("devices/a/b/up")).isFalse();
        // default allow
        AclEngine open = new AclEngine(new Acl(true, List.of(AclRule.deny("private/#"))));
        assertThat(open.forClient("u", "c").canPublish("anything")).isTrue();
        assertThat(open.forClient("u", "c").canPublish("private/x")).isFalse();
        assertThat(open.forClient("u", "c").filtersReads()).isTrue();
        assertThat(new AclEngine(new Acl(true, List.of(AclRule.deny("x", Action.PUBLISH)))).forClient("u", "c")
                .filtersReads()).isFalse();
    }

    @Test
    void pahoCasesUnderOneDenyRule() {
        // the Eclipse Paho interoperability suite's broker refuses a subscription to test/nosubscribe, nothing else
        AclEngine.ClientAcl c = new AclEngine(new Acl(true, List.of(AclRule.deny("test/nosubscribe", Action.SUBSCRIBE))))
                .forClient("u", "c");
        assertThat(c.canSubscribe("#")).isTrue();
        assertThat(c.canSubscribe("+/+")).isTrue();
        assertThat(c.canSubscribe("test/+")).isTrue();
        assertThat(c.canSubscribe("TopicA/#")).isTrue();
        assertThat(c.canSubscribe("test/nosubscribe")).isFalse();
        assertThat(c.canSubscribe("$share/g/test/nosubscribe")).isFalse();
        assertThat(c.canRead("test/nosubscribe")).isFalse();
        assertThat(c.canRead("test/other")).isTrue();
        assertThat(c.canPublish("test/nosubscribe")).isTrue();
    }

    @Test
    void allowListAcceptsBroaderFiltersAndFiltersDeliveries() {
        AclEngine.ClientAcl c = new AclEngine(new Acl(false, List.of(AclRule.allow("gw/#")))).forClient("u", "c");
        assertThat(c.canSubscribe("#")).isTrue();          // as Mosquitto: accepted, only gw/... is delivered
        assertThat(c.canSubscribe("+/x")).isTrue();
        assertThat(c.canSubscribe("gw/a/+")).isTrue();
        assertThat(c.canSubscribe("other/#")).isFalse();   // nothing it matches could ever be delivered
        assertThat(c.canSubscribe("$SYS/#")).isFalse();
        assertThat(c.canRead("gw/a")).isTrue();
        assertThat(c.canRead("gw")).isTrue();
        assertThat(c.canRead("other/a")).isFalse();
        assertThat(c.canRead("$SYS/x")).isFalse();
    }

    @Test
    void bracesInSubscriptionsAreLiteralAndInRulesAreRefused() {
        AclEngine.ClientAcl c = new AclEngine(new Acl(false, List.of(AclRule.allow("a/#"), AclRule.deny("a/b/+"))))
                .forClient("u", "c");
        assertThat(c.canSubscribe("a/{x}")).isTrue();
        assertThat(c.canSubscribe("a/b/{x}")).isFalse();   // read as a/b/+, which the deny rule covers
        assertThat(c.canSubscribe("a/{x")).isTrue();
        assertThatThrownBy(() -> AclRule.allow("a/{x}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ACL topic 'a/{x}'").hasMessageContaining("'{' and '}' are not allowed");
        assertThatThrownBy(() -> AclRule.allow("a/#/b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a valid MQTT topic filter");
        assertThatThrownBy(() -> AclRule.allow("$share/g/a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without '$share/GROUP/'");
        // a user name with braces never turns a %u rule into a parameter
        AclEngine e = new AclEngine(new Acl(false, List.of(AclRule.allow("users/%u/#"))));
        assertThat(e.forClient("{x}", "c").canPublish("users/{x}/a")).isFalse();
    }

    /**
     * Whether two filters share a topic, for every pair of filters of up to 3 levels over a, $s, + and #, against
     * core's matcher over every topic of up to 4 levels over a, $s, c and the empty level.
     */
    @Test
    void intersectsAgreesWithCoreMatchingExhaustively() {
        List<String> filters = new ArrayList<>();
        expand("", 0, 3, new String[] {"a", "$s", "+", "#"}, filters, true);
        List<String> topics = new ArrayList<>();
        expand("", 0, 4, new String[] {"a", "$s", "c", ""}, topics, false);
        int pairs = 0;
        for (String a : filters) {
            TopicPattern pa = TopicPattern.parse(a);
            for (String b : filters) {
                TopicPattern pb = TopicPattern.parse(b);
                boolean shared = topics.stream().anyMatch(t -> pa.matches(t) && pb.matches(t));
                assertThat(AclEngine.intersects(pa, pb)).as("%s and %s", a, b).isEqualTo(shared);
                pairs++;
            }
        }
        System.out.printf("intersects: %d filter pairs checked against %d topics%n", pairs, topics.size());
    }

    private static void expand(String prefix, int depth, int max, String[] levels, List<String> out, boolean filter) {
        if (depth == max) {
            return;
        }
        for (String l : levels) {
            String s = depth == 0 ? l : prefix + "/" + l;
            out.add(s);
            if (!(filter && l.equals("#"))) {
                expand(s, depth + 1, max, levels, out, filter);
            }
        }
    }
}
