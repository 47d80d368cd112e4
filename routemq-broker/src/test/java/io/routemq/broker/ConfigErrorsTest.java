package io.routemq.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up errors are clear: they name the port, key or file and say what to do. */
class ConfigErrorsTest {

    @TempDir
    Path dir;

    @Test
    void aPortInUseIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            EmbeddedBroker broker = EmbeddedBroker.builder().port(port).inMemory().allowAnonymous(true).build();
            assertThatThrownBy(broker::start)
                    .isInstanceOfSatisfying(PortInUseException.class, e -> {
                        assertThat(e.port()).isEqualTo(port);
                        assertThat(e.listener()).isEqualTo("TCP");
                    })
                    .hasMessageContaining("port " + port + " on 127.0.0.1 is already in use")
                    .hasMessageContaining("set broker.port (--port) to a free port, or to 0");
            assertThat(broker.isRunning()).isFalse();

            EmbeddedBroker ws = EmbeddedBroker.builder().port(0).wsPort(port).inMemory().build();
            assertThatThrownBy(ws::start).isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("WebSocket listener").hasMessageContaining("broker.wsPort (--ws-port)");
        }
    }

    @Test
    void aMissingPasswordFileIsAClearError() {
        Path missing = dir.resolve("nope/passwd");
        EmbeddedBroker broker = EmbeddedBroker.builder().port(0).inMemory().passwordFile(missing).build();
        assertThatThrownBy(broker::start).isInstanceOf(BrokerConfigException.class)
                .hasMessageContaining("broker.passwordFile")
                .hasMessageContaining(missing.toAbsolutePath().toString())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("routemq broker passwd");
    }

    @Test
    void aMalformedPasswordFileNamesTheLine() throws Exception {
        Path file = dir.resolve("passwd");
        Files.writeString(file, "# users\nalice:$pbkdf2-sha256$1000$c2FsdA$aGFzaA\nbob:plaintext\n");
        EmbeddedBroker broker = EmbeddedBroker.builder().port(0).inMemory().passwordFile(file).build();
        assertThatThrownBy(broker::start).isInstanceOf(BrokerConfigException.class)
                .hasMessageStartingWith(file + ":3: the entry of user 'bob' is not a password hash");
    }

    /**
     * The message names broker.dataDir, the key both config dialects write, and no key of only one of them
     * (the broker's {@code persistence: memory}, the gateway's {@code inMemory: true}), nor a Java class name.
     */
    @Test
    void anUnusableDataDirectoryIsAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "x");
        EmbeddedBroker broker = EmbeddedBroker.builder().port(0).dataDir(file).build();
        assertThatThrownBy(broker::start).isInstanceOf(BrokerConfigException.class)
                .hasMessage("broker.dataDir " + file.toAbsolutePath() + " is a file, not a directory. Point"
                        + " broker.dataDir at a directory (it is created if missing).");
        EmbeddedBroker below = EmbeddedBroker.builder().port(0).dataDir(file.resolve("sub")).build();
        assertThatThrownBy(below::start).isInstanceOf(BrokerConfigException.class)
                .hasMessageStartingWith("broker.dataDir " + file.resolve("sub").toAbsolutePath() + " cannot be created (")
                .hasMessageEndingWith("). Fix the permissions of its parent, or point broker.dataDir at a directory"
                        + " this user can write.")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("persistence").doesNotContain("inMemory")
                        .doesNotContain("java.", "Exception"));
    }

    @Test
    void badValuesAreClearErrors() {
        assertThatThrownBy(() -> EmbeddedBroker.builder().port(70000).build())
                .isInstanceOf(BrokerConfigException.class).hasMessageContaining("broker.port 70000 is not a port");
        assertThatThrownBy(() -> EmbeddedBroker.builder().configure(c -> c.maxKeepAlive(java.time.Duration.ofDays(2))).build())
                .isInstanceOf(BrokerConfigException.class).hasMessageContaining("broker.maxKeepAlive");
        EmbeddedBroker same = EmbeddedBroker.builder().port(18831).wsPort(18831).inMemory().build();
        assertThatThrownBy(same::start).isInstanceOf(BrokerConfigException.class)
                .hasMessageContaining("broker.wsPort 18831 is already used by another listener");
        EmbeddedBroker badBind = EmbeddedBroker.builder().port(0).bindAddress("10.255.255.1").inMemory().build();
        assertThatThrownBy(badBind::start).isInstanceOf(BrokerConfigException.class)
                .hasMessageContaining("broker.bind 10.255.255.1 is not an address of this machine");
    }

    @Test
    void aStartedBrokerCannotBeRestartedButCloseIsIdempotent() {
        EmbeddedBroker broker = EmbeddedBroker.builder().port(0).passwordFile(dir.resolve("missing")).build();
        assertThatThrownBy(broker::start).isInstanceOf(BrokerConfigException.class);
        assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("build a new one");
        broker.close();
        broker.close();
    }
}
