package io.routemq.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.routemq.broker.Mqtt.Run;
import io.routemq.broker.internal.PasswordFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordsTest {

    @TempDir
    Path dir;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void hashAndVerify() {
        String hash = Passwords.hash("s3cret ü".toCharArray());
        assertThat(hash).matches("\\$pbkdf2-sha256\\$210000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(Passwords.verify(b("s3cret ü"), hash)).isTrue();
        assertThat(Passwords.verify(b("s3cret u"), hash)).isFalse();
        assertThat(Passwords.hash("x".toCharArray(), 1000)).isNotEqualTo(Passwords.hash("x".toCharArray(), 1000)); // salted
        assertThat(Passwords.verify(b("plain"), "plain")).isTrue();
        assertThat(Passwords.verify(b("plain"), "Plain")).isFalse();
        assertThatThrownBy(() -> Passwords.verify(b("x"), "$pbkdf2-sha256$oops")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Passwords.hash("x".toCharArray(), 10)).hasMessageContaining("at least 1000");
    }

    @Test
    void verifiesMosquittoPasswdHashes() throws Exception {
        assumeTrue(Mqtt.onPath("mosquitto_passwd"), "mosquitto_passwd not installed (apt-get install mosquitto) - skipped");
        Path file = dir.resolve("mosq");
        Run r = Mqtt.run(20, "mosquitto_passwd", "-c", "-b", file.toString(), "carol", "carol-pw");
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, String> users = PasswordFile.read(file);
        assertThat(users.get("carol")).startsWith("$7$");
        assertThat(Passwords.verify(b("carol-pw"), users.get("carol"))).isTrue();
        assertThat(Passwords.verify(b("carol-px"), users.get("carol"))).isFalse();
    }

    @Test
    void passwordFileUpdateKeepsOtherLinesAndIsPrivate() throws Exception {
        Path file = dir.resolve("sub/passwd");
        assertThat(PasswordFile.update(file, "alice", "$pbkdf2-sha256$1000$YQ$Yg")).isFalse();
        Files.writeString(file, "# comment\n" + Files.readString(file));
        assertThat(PasswordFile.update(file, "bob", "$pbkdf2-sha256$1000$YQ$Yw")).isFalse();
        assertThat(PasswordFile.update(file, "alice", "$pbkdf2-sha256$1000$YQ$ZA")).isTrue();
        assertThat(Files.readAllLines(file)).containsExactly("# comment", "alice:$pbkdf2-sha256$1000$YQ$ZA",
                "bob:$pbkdf2-sha256$1000$YQ$Yw");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PasswordFile.update(file, "alice", null)).isTrue();
        assertThat(PasswordFile.read(file)).containsOnlyKeys("bob");
        assertThatThrownBy(() -> PasswordFile.update(file, "a:b", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
