package io.routemq.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.routemq.broker.BrokerConfig.Acl;
import io.routemq.broker.BrokerConfig.AclRule;
import io.routemq.broker.BrokerConfig.Action;
import io.routemq.broker.internal.AclEngine;
import io.routemq.broker.internal.TopicFilters;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclEngineTest {

    @Test
    void matches() {
        assertThat(TopicFilters.matches("a/+/c", "a/b/c")).isTrue();
        assertThat(TopicFilters.matches("a/#", "a")).isTrue();
        assertThat(TopicFilters.matches("a/#", "a/b/c")).isTrue();
        assertThat(TopicFilters.matches("a/+", "a/b/c")).isFalse();
        assertThat(TopicFilters.matches("#", "$SYS/x")).isFalse();
        assertThat(TopicFilters.matches("$SYS/#", "$SYS/x")).isTrue();
        assertThat(TopicFilters.matches("a/b", "a/b/")).isFalse();
    }

    @Test
    void coversAndIntersects() {
        assertThat(TopicFilters.covers("a/#", "a/+/c")).isTrue();
        assertThat(TopicFilters.covers("a/+/c", "a/b/c")).isTrue();
        assertThat(TopicFilters.covers("a/+/c", "a/#")).isFalse();
        assertThat(TopicFilters.covers("a/b", "a/+")).isFalse();
        assertThat(TopicFilters.covers("a/#", "a")).isTrue();
        assertThat(TopicFilters.covers("#", "$SYS/#")).isFalse();
        assertThat(TopicFilters.intersects("a/#", "+/b")).isTrue();
        assertThat(TopicFilters.intersects("a/b", "a/c")).isFalse();
        assertThat(TopicFilters.intersects("a/#", "a")).isTrue();
        assertThat(TopicFilters.intersects("a/+", "a")).isFalse();
        assertThat(TopicFilters.intersects("#", "$SYS/x")).isFalse();
        assertThat(TopicFilters.stripShare("$share/g/a/b")).isEqualTo("a/b");
    }

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
        assertThat(bob.canSubscribe("tenants/bob/#")).isFalse();       // overlaps the denied secrets
        assertThat(bob.canSubscribe("tenants/bob/+")).isFalse();     // "tenants/bob/secrets" matches both
        assertThat(bob.canSubscribe("tenants/bob/data/+")).isTrue();
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
    }
}
