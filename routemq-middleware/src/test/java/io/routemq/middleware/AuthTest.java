package io.routemq.middleware;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.routemq.core.Message;
import io.routemq.core.MessageProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static io.routemq.core.Outcome.FILTERED;
import static io.routemq.core.Outcome.HANDLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Token and HMAC auth through a real Router and Dispatcher. */
class AuthTest {

    @Test
    void tokensFromAListOrAFileAreAcceptedAndOthersRefusedWithoutLoggingThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens.txt");
        Files.writeString(file, "# fleet tokens\n\nfile-token-1\n  file-token-2  \n");
        MiddlewareCounters counters = new MiddlewareCounters();
        ListAppender<ILoggingEvent> logs = Pipeline.capture(Auth.class, Level.DEBUG);
        try (Pipeline p = new Pipeline((r, h) -> {
            r.on("list/#", h).middleware(Auth.of(AuthConfig.tokens(List.of("s3cret-a", "s3cret-b")), counters));
            r.on("file/#", h).middleware(Auth.of(AuthConfig.tokensFile(file).withProperty("auth"), counters));
        })) {
            assertThat(p.send("list/1", "x", "token", "s3cret-b")).isEqualTo(HANDLED);
            assertThat(p.send("list/1", "x", "token", "s3cret-c")).isEqualTo(FILTERED);
            assertThat(p.send("list/1", "x", "token", "s3cret-")).isEqualTo(FILTERED);
            assertThat(p.send("list/1", "x")).as("no token").isEqualTo(FILTERED);
            assertThat(p.send("file/1", "x", "auth", "file-token-2")).isEqualTo(HANDLED);
            assertThat(p.send("file/1", "x", "auth", "# fleet tokens")).isEqualTo(FILTERED);
            assertThat(p.send("file/1", "x", "token", "file-token-1")).as("wrong property").isEqualTo(FILTERED);
            assertThat(p.handled).hasSize(2);
            assertThat(counters.count("auth", "refused")).isEqualTo(5);
            assertThat(logs.list).hasSize(5).allSatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("auth refused").doesNotContain("s3cret").doesNotContain("file-token"));
        } finally {
            Pipeline.release(Auth.class, logs);
        }
        assertThat(AuthConfig.tokens(List.of("s3cret-a")).toString()).doesNotContain("s3cret");
        assertThat(AuthConfig.hmac("k3y").toString()).doesNotContain("k3y");
    }

    @Test
    void hmacSignatureOfThePayloadInHexOrBase64() throws Exception {
        String secret = "signing-key";
        byte[] payload = Pipeline.utf8("{\"t\":21.5}");
        String hex = Auth.sign(secret, payload);
        String b64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
        try (Pipeline p = new Pipeline((r, h) -> {
            r.on("hex/#", h).middleware(Auth.of(AuthConfig.hmac(secret)));
            r.on("b64/#", h).middleware(Auth.of(AuthConfig.hmac(secret).withProperty("sig").withEncoding(AuthConfig.Encoding.BASE64)));
        })) {
            assertThat(p.send(signed("hex/1", payload, "signature", hex))).isEqualTo(HANDLED);
            assertThat(p.send(signed("hex/1", payload, "signature", hex.toUpperCase()))).isEqualTo(HANDLED);
            assertThat(p.send(signed("hex/1", Pipeline.utf8("{\"t\":99}"), "signature", hex))).as("payload changed").isEqualTo(FILTERED);
            assertThat(p.send(signed("hex/1", payload, "signature", "zz"))).as("not hex").isEqualTo(FILTERED);
            assertThat(p.send(signed("hex/1", payload, "signature", Auth.sign("other", payload)))).isEqualTo(FILTERED);
            assertThat(p.send(signed("b64/1", payload, "sig", b64))).isEqualTo(HANDLED);
            assertThat(p.send(signed("b64/1", payload, "sig", hex))).isEqualTo(FILTERED);
        }
    }

    @Test
    void badOptionsNameTheKey(@TempDir Path dir) {
        assertThatThrownBy(() -> AuthConfig.tokens(List.of())).hasMessageStartingWith("tokens:");
        assertThatThrownBy(() -> AuthConfig.tokensFile(dir.resolve("missing.txt"))).hasMessageStartingWith("tokensFile:");
        assertThatThrownBy(() -> AuthConfig.hmac("")).hasMessageStartingWith("hmacSecret:");
        assertThatThrownBy(() -> new AuthConfig("token", List.of("a"), null, "k", AuthConfig.Encoding.HEX)).hasMessageStartingWith("hmacSecret:");
    }

    private static Message signed(String topic, byte[] payload, String property, String value) {
        return new Message("default", topic, payload, 1, false, MessageProperties.builder().userProperty(property, value).build());
    }
}
