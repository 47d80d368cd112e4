package io.routemq.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.routemq.broker.BrokerConfig.Action;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.dataformat.yaml.YAMLMapper;

class BrokerConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaults() {
        BrokerConfig c = BrokerConfig.defaults();
        assertThat(c.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(1883);
        assertThat(c.wsEnabled()).isFalse();
        assertThat(c.persistence()).isEqualTo(BrokerConfig.Persistence.FILE);
        assertThat(c.maxKeepAlive()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.maxQueuedMessages()).isEqualTo(1_000_000);
        assertThat(c.queueOverflow()).isEqualTo(BrokerConfig.QueueOverflow.DISCARD_NEW);
        assertThat(c.allowAnonymous()).isFalse();
        assertThat(c.acl()).isNull();
    }

    @Test
    void readsAFullYamlSection() throws Exception {
        Path file = dir.resolve("routemq.yaml");
        Files.writeString(file, """
                brokers: {}          # other sections of the gateway config are ignored
                broker:
                  bindAddress: 0.0.0.0
                  port: 1884
                  wsPort: 8000
                  wsPath: /ws
                  tls: { port: 8883, cert: certs/server.pem, key: certs/server.key }
                  persistence: file
                  dataDir: data/broker
                  maxPacketSize: 256KB
                  maxSessionExpiry: 2d
                  maxKeepAlive: 120s
                  maxQueuedMessages: 5000
                  queueOverflow: discardOldest
                  allowAnonymous: true
                  users:
                    gateway: ${GW_PASSWORD:-changeme}
                  passwordFile: passwd
                  acl:
                    default: deny
                    rules:
                      - allow: publish
                        topic: devices/%c/up
                      - allow: [subscribe]
                        topics: [devices/%c/down, broadcast/#]
                      - deny: all
                        topic: admin/#
                      - allow: all
                        user: gateway
                        topic: "#"
                """);
        BrokerConfig c = BrokerConfigLoader.load(file);
        assertThat(c.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(1884);
        assertThat(c.wsPort()).isEqualTo(8000);
        assertThat(c.wsPath()).isEqualTo("/ws");
        assertThat(c.tls().port()).isEqualTo(8883);
        assertThat(c.tls().certFile()).isEqualTo(dir.resolve("certs/server.pem"));
        assertThat(c.dataDir()).isEqualTo(dir.resolve("data/broker"));
        assertThat(c.maxPacketSize()).isEqualTo(256 * 1024);
        assertThat(c.maxSessionExpiry()).isEqualTo(Duration.ofDays(2));
        assertThat(c.maxKeepAlive()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.maxQueuedMessages()).isEqualTo(5000);
        assertThat(c.queueOverflow()).isEqualTo(BrokerConfig.QueueOverflow.DISCARD_OLDEST);
        assertThat(c.allowAnonymous()).isTrue();
        assertThat(c.users()).containsEntry("gateway", System.getenv().getOrDefault("GW_PASSWORD", "changeme"));
        assertThat(c.passwordFile()).isEqualTo(dir.resolve("passwd"));
        assertThat(c.acl().defaultAllow()).isFalse();
        assertThat(c.acl().rules()).hasSize(5);
        assertThat(c.acl().rules().get(0)).isEqualTo(new BrokerConfig.AclRule(true, List.of(Action.PUBLISH), null, null,
                "devices/%c/up"));
        assertThat(c.acl().rules().get(2).topic()).isEqualTo("broadcast/#");
        assertThat(c.acl().rules().get(3).allow()).isFalse();
        assertThat(c.acl().rules().get(4).user()).isEqualTo("gateway");
        assertThat(c.toString()).doesNotContain("changeme");
    }

    @Test
    void readsJsonAndDefaultsWithoutSection() throws Exception {
        Path json = Files.writeString(dir.resolve("b.json"), "{\"broker\": {\"port\": 0, \"persistence\": \"memory\"}}");
        BrokerConfig c = BrokerConfigLoader.load(json);
        assertThat(c.port()).isZero();
        assertThat(c.persistence()).isEqualTo(BrokerConfig.Persistence.MEMORY);
        Path none = Files.writeString(dir.resolve("none.yaml"), "routes: []\n");
        assertThat(BrokerConfigLoader.load(none)).isEqualTo(BrokerConfig.defaults());
    }

    @Test
    void errorsNameTheFileTheKeyAndTheFix() throws Exception {
        assertError("broker:\n  prot: 1883\n", "broker.prot: unknown key (did you mean 'port'?)");
        assertError("broker:\n  maxKeepAlive: 60\n", "broker.maxKeepAlive: '60' is not a duration: use e.g. 60s");
        assertError("broker:\n  maxPacketSize: 1XB\n", "broker.maxPacketSize: '1XB' is not a size");
        assertError("broker:\n  acl:\n    rules:\n      - allow: all\n        topic: 'a/{id}'\n",
                "broker.acl.rules[0].topic: ACL topic 'a/{id}': '{' and '}' are not allowed in ACL topics");
        assertError("broker:\n  port: abc\n", "broker.port: 'abc' is not a whole number");
        assertError("broker:\n  users:\n    u: ${ROUTEMQ_SURELY_UNSET_VAR}\n",
                "broker.users.u: environment variable ROUTEMQ_SURELY_UNSET_VAR is not set");
        assertError("broker:\n  acl:\n    rules:\n      - allow: publish\n", "broker.acl.rules[0]: needs 'topic: FILTER'");
        assertError("broker:\n  acl:\n    rules:\n      - allow: pub\n        deny: sub\n        topic: a\n",
                "broker.acl.rules[0]: needs exactly one of");
        assertError("broker:\n  acl:\n    rules:\n      - allow: write\n        topic: a/#/b\n",
                "broker.acl.rules[0].topic: 'a/#/b': '#' must be the last level");
        assertError("broker:\n  acl:\n    rules:\n      - allow: jump\n        topic: a\n",
                "broker.acl.rules[0].allow: 'jump' is not an action");
        assertError("port: 1883\n", "'port' is at the top level; put broker settings under a 'broker:' section");
        assertError("broker:\n  port: [1\n", "not valid YAML");
        assertError("broker:\n  wsPath: mqtt\n", "broker.wsPath 'mqtt' must start with '/'");
    }

    private void assertError(String yaml, String message) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), yaml);
        assertThatThrownBy(() -> BrokerConfigLoader.load(file)).isInstanceOf(BrokerConfigException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(message);
    }

    @Test
    void fromNodeUsesTheGivenEnvironment() {
        var node = YAMLMapper.builder().build().readTree("port: ${P}\nwsPort: off\n");
        BrokerConfig c = BrokerConfigLoader.fromNode(node, "routemq.yaml", null, Map.of("P", "2883"));
        assertThat(c.port()).isEqualTo(2883);
        assertThat(c.wsEnabled()).isFalse();
    }

    @Test
    void durationsAndSizes() {
        assertThat(BrokerConfigLoader.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(BrokerConfigLoader.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(BrokerConfigLoader.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(BrokerConfigLoader.parseSize("10MB")).isEqualTo(10L * 1024 * 1024);
        assertThat(BrokerConfigLoader.parseSize("512")).isEqualTo(512);
        assertThat(BrokerConfigLoader.parseSize("1gb")).isEqualTo(1024L * 1024 * 1024);
    }
}
