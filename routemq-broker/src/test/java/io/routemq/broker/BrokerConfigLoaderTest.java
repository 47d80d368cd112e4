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
        Files.createDirectories(dir.resolve("certs"));
        Path cert = Files.writeString(dir.resolve("certs/server.pem"), "x");
        Path key = Files.writeString(dir.resolve("certs/server.key"), "x");
        Path passwd = Files.writeString(dir.resolve("passwd"), "");
        Path file = dir.resolve("routemq.yaml");
        Files.writeString(file, """
                brokers: {}          # other sections of the gateway config are ignored
                broker:
                  enabled: true      # the gateway's; the broker command runs anyway
                  bind: 0.0.0.0
                  port: 1884
                  wsPort: 8000
                  wsPath: /ws
                  tls: { port: 8883, cert: %s, key: %s }
                  dataDir: data/broker
                  maxPacketSize: 256KB
                  maxSessionExpiry: 2d
                  maxKeepAlive: 120s
                  serverReceiveMaximum: 20
                  queue: { maxPerClient: 5000, overflow: discardOldest }
                  allowAnonymous: true
                  users:
                    - { username: gateway, password: "${GW_PASSWORD:-changeme}" }
                  passwordFile: %s
                  acl:
                    - { topic: devices/%%c/up, access: publish }
                    - { topic: devices/%%c/down, access: subscribe }
                    - { topic: "admin/#", allow: false }
                    - { user: gateway, topic: "#" }
                """.formatted(cert, key, passwd));
        BrokerConfig c = BrokerConfigLoader.load(file, Map.of());
        assertThat(c.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(1884);
        assertThat(c.wsPort()).isEqualTo(8000);
        assertThat(c.wsPath()).isEqualTo("/ws");
        assertThat(c.tls().port()).isEqualTo(8883);
        assertThat(c.tls().certFile()).isEqualTo(cert);
        assertThat(c.dataDir()).isEqualTo(Path.of("data/broker"));
        assertThat(c.persistence()).isEqualTo(BrokerConfig.Persistence.FILE);
        assertThat(c.maxPacketSize()).isEqualTo(256 * 1024);
        assertThat(c.maxSessionExpiry()).isEqualTo(Duration.ofDays(2));
        assertThat(c.maxKeepAlive()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.serverReceiveMaximum()).isEqualTo(20);
        assertThat(c.maxQueuedMessages()).isEqualTo(5000);
        assertThat(c.queueOverflow()).isEqualTo(BrokerConfig.QueueOverflow.DISCARD_OLDEST);
        assertThat(c.allowAnonymous()).isTrue();
        assertThat(c.users()).containsEntry("gateway", "changeme");
        assertThat(c.passwordFile()).isEqualTo(passwd);
        assertThat(c.acl().defaultAllow()).isFalse();
        assertThat(c.acl().rules()).hasSize(4);
        assertThat(c.acl().rules().get(0)).isEqualTo(new BrokerConfig.AclRule(true, List.of(Action.PUBLISH), null, null,
                "devices/%c/up"));
        assertThat(c.acl().rules().get(2).allow()).isFalse();
        assertThat(c.acl().rules().get(3).user()).isEqualTo("gateway");
        assertThat(c.toString()).doesNotContain("changeme");
    }

    @Test
    void theFormerBrokerOnlySpellingsStillWork() throws Exception {
        Path file = Files.writeString(dir.resolve("old.yaml"), """
                broker:
                  bindAddress: 127.0.0.2
                  persistence: memory
                  maxQueuedMessages: 7
                  queueOverflow: discardOldest
                  users:
                    gateway: pw
                  acl:
                    default: allow
                    rules:
                      - allow: publish
                        topic: devices/%c/up
                      - deny: [subscribe]
                        topics: [a/#, b/#]
                """);
        BrokerConfig c = BrokerConfigLoader.load(file, Map.of());
        assertThat(c.bindAddress()).isEqualTo("127.0.0.2");
        assertThat(c.persistence()).isEqualTo(BrokerConfig.Persistence.MEMORY);
        assertThat(c.maxQueuedMessages()).isEqualTo(7);
        assertThat(c.queueOverflow()).isEqualTo(BrokerConfig.QueueOverflow.DISCARD_OLDEST);
        assertThat(c.users()).containsEntry("gateway", "pw");
        assertThat(c.acl().defaultAllow()).isTrue();
        assertThat(c.acl().rules()).extracting(BrokerConfig.AclRule::topic).containsExactly("devices/%c/up", "a/#", "b/#");
        assertThat(c.acl().rules().get(1).allow()).isFalse();
    }

    @Test
    void readsJsonAndDefaultsWithoutSection() throws Exception {
        Path json = Files.writeString(dir.resolve("b.json"), "{\"broker\": {\"port\": 0, \"inMemory\": true}}");
        BrokerConfig c = BrokerConfigLoader.load(json);
        assertThat(c.port()).isZero();
        assertThat(c.persistence()).isEqualTo(BrokerConfig.Persistence.MEMORY);
        Path none = Files.writeString(dir.resolve("none.yaml"), "routes: []\n");
        assertThat(BrokerConfigLoader.load(none)).isEqualTo(BrokerConfig.defaults());
    }

    @Test
    void errorsNameTheFileTheLineTheKeyAndTheFix() throws Exception {
        assertError("broker:\n  prot: 1883\n", ":2:3 broker.prot: unknown key", "did you mean 'port'?");
        assertError("broker:\n  maxKeepAlive: 60\n", ":2:17 broker.maxKeepAlive", "duration");
        assertError("broker:\n  maxPacketSize: 1XB\n", ":2:18 broker.maxPacketSize", "size");
        assertError("broker:\n  acl:\n    - topic: 'a/{id}'\n", "broker.acl[0].topic 'a/{id}'", "'{' and '}' are not allowed");
        assertError("broker:\n  port: abc\n", ":2:9 broker.port", "abc");
        assertError("broker:\n  users:\n    - {username: u, password: '${ROUTEMQ_SURELY_UNSET_VAR}'}\n",
                "environment variable ROUTEMQ_SURELY_UNSET_VAR is not set");
        assertError("broker:\n  acl:\n    - access: publish\n", "broker.acl[0]", "topic");
        assertError("broker:\n  acl:\n    - topic: a/#/b\n", "broker.acl[0].topic 'a/#/b': '#' must be the last level");
        assertError("broker:\n  acl:\n    - {topic: a, access: jump}\n", "broker.acl[0].access", "jump");
        assertError("port: 1883\n", ":1:1 port: is at the top level", "put broker settings under a 'broker:' section");
        assertError("broker:\n  port: [1\n", "bad.yaml");
        assertError("broker:\n  wsPath: mqtt\n", ":2:11 broker.wsPath 'mqtt': must start with '/'");
        assertError("broker:\n  bind: 300.1.1.1\n", ":2:9 broker.bind '300.1.1.1': is not an IPv4 address");
        assertError("broker:\n  bindAddress: 300.1.1.1\n", ":2:16 broker.bindAddress '300.1.1.1'");
    }

    private void assertError(String yaml, String... parts) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), yaml);
        var thrown = assertThatThrownBy(() -> BrokerConfigLoader.load(file, Map.of())).isInstanceOf(BrokerConfigException.class)
                .hasMessageContaining(file.toString());
        for (String part : parts) thrown.hasMessageContaining(part);
    }

    @Test
    void durationsAndSizesAreTheProjectsOneParser() {
        assertThat(io.routemq.core.config.Values.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(io.routemq.core.config.Values.parseSize("10MB")).isEqualTo(10L * 1024 * 1024);
    }
}
