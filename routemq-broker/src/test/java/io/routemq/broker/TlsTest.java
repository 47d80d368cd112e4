package io.routemq.broker;

import static io.routemq.broker.Mqtt.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.routemq.broker.Mqtt.Run;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS listener from PEM files made by openssl (RSA PKCS#8, RSA PKCS#1, EC). */
class TlsTest {

    @TempDir
    Path dir;

    private Path[] makeCert(String name, String... keyArgs) throws Exception {
        Path key = dir.resolve(name + ".key");
        Path cert = dir.resolve(name + ".pem");
        String[] cmd = new String[] {"openssl", "req", "-x509", "-newkey"};
        java.util.List<String> c = new java.util.ArrayList<>(java.util.List.of(cmd));
        c.addAll(java.util.List.of(keyArgs));
        c.addAll(java.util.List.of("-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"));
        Run r = Mqtt.run(60, c.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return new Path[] {cert, key};
    }

    private static TrustManagerFactory trust(Path cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf;
    }

    @Test
    void tlsListenerFromPemFiles() throws Exception {
        assumeTrue(Mqtt.onPath("openssl"), "openssl not installed - skipped");
        Path[] rsa = makeCert("rsa", "rsa:2048");
        Path pkcs1 = dir.resolve("rsa-pkcs1.key");
        Run conv = Mqtt.run(30, "openssl", "rsa", "-in", rsa[1].toString(), "-traditional", "-out", pkcs1.toString());
        assertThat(conv.exit()).as(conv.err()).isZero();
        assertThat(Files.readString(pkcs1)).contains("BEGIN RSA PRIVATE KEY");
        Path[] ec = makeCert("ec", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");

        for (Path[] pair : new Path[][] {rsa, {rsa[0], pkcs1}, ec}) {
            try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).inMemory().allowAnonymous(true)
                    .configure(b -> b.tls(new BrokerConfig.Tls(0, pair[0], pair[1]))).build()) {
                broker.start();
                assertThat(broker.listeners()).extracting(ListenerAddress::uri)
                        .contains("mqtts://127.0.0.1:" + broker.tlsPort());
                Mqtt5BlockingClient c = Mqtt.v5(broker.tlsPort()).sslConfig().trustManagerFactory(trust(pair[0]))
                        .applySslConfig().buildBlocking();
                c.connect();
                try (Mqtt5BlockingClient.Mqtt5Publishes p = c.publishes(MqttGlobalPublishFilter.ALL)) {
                    c.subscribeWith().topicFilter("tls/#").qos(MqttQos.AT_LEAST_ONCE).send();
                    c.publishWith().topic("tls/x").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("secure")).send();
                    assertThat(p.receive(10, TimeUnit.SECONDS)).isPresent();
                }
                c.disconnect();
                if (pair == rsa && Mqtt.onPath("mosquitto_pub")) {
                    Run r = Mqtt.run(20, "mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(broker.tlsPort()),
                            "--cafile", pair[0].toString(), "-t", "tls/mosq", "-m", "hi", "-q", "1");
                    assertThat(r.exit()).as(r.err()).isZero();
                }
            }
        }
    }

    @Test
    void badPemFilesAreClearErrors() throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "not a certificate");
        Path key = Files.writeString(dir.resolve("k.pem"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        EmbeddedBroker broker = EmbeddedBroker.builder().port(0).inMemory()
                .configure(b -> b.tls(new BrokerConfig.Tls(0, cert, key))).build();
        assertThatThrownBy(broker::start).isInstanceOf(BrokerConfigException.class)
                .hasMessageContaining("broker.tls.cert").hasMessageContaining("no '-----BEGIN CERTIFICATE-----' block");
        EmbeddedBroker missing = EmbeddedBroker.builder().port(0).inMemory()
                .configure(b -> b.tls(new BrokerConfig.Tls(0, dir.resolve("none.pem"), key))).build();
        assertThatThrownBy(missing::start).isInstanceOf(BrokerConfigException.class)
                .hasMessageContaining("broker.tls.cert: cannot read");
    }
}
