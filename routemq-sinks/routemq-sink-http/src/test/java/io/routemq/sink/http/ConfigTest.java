package io.routemq.sink.http;

import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Defaults, validation messages and redaction of {@link HttpSinkConfig}. */
class ConfigTest {

    private static HttpSinkConfig.Builder b() {
        return HttpSinkConfig.builder("ingest").url("https://ingest.example/v1");
    }

    @Test
    void defaults() {
        HttpSinkConfig c = b().build();
        assertThat(c.mode()).isEqualTo(UrlMode.FAILOVER);
        assertThat(c.method()).isEqualTo("POST");
        assertThat(c.headers()).isEmpty();
        assertThat(c.auth()).isEqualTo(HttpAuth.NONE);
        assertThat(c.tls()).isEqualTo(TlsSettings.DEFAULT);
        assertThat(c.body()).isEqualTo(BodyFormat.ENVELOPE);
        assertThat(c.template()).isNull();
        assertThat(c.timeout()).isEqualTo(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)));
        assertThat(c.maxInFlight()).isEqualTo(64);
        assertThat(c.circuitBreaker()).isEqualTo(new CircuitBreakerSettings(5, Duration.ofSeconds(30)));
        assertThat(c.batch()).isEqualTo(Batch.OFF);
        assertThat(c.statusRules().retryOn()).isEmpty();
        assertThat(c.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(c.perUrl()).containsExactly(c);
    }

    @Test
    void parsesModeAndBodyNames() {
        assertThat(UrlMode.parse("round-robin")).isEqualTo(UrlMode.ROUND_ROBIN);
        assertThat(UrlMode.parse("roundRobin")).isEqualTo(UrlMode.ROUND_ROBIN);
        assertThat(UrlMode.parse("fanout")).isEqualTo(UrlMode.FANOUT);
        assertThat(BodyFormat.parse("go")).isEqualTo(BodyFormat.GO);
        assertThatThrownBy(() -> UrlMode.parse("random")).hasMessage("mode: unknown mode 'random'; use fanout, round-robin or failover");
        assertThatThrownBy(() -> BodyFormat.parse("xml")).hasMessageContaining("use raw, envelope, go or template");
    }

    @Test
    void validationNamesTheKeyAndTheFix() {
        assertThatThrownBy(() -> HttpSinkConfig.builder("x").build()).hasMessage("sinks.x.http.urls: give at least one http:// or https:// URL");
        assertThatThrownBy(() -> HttpSinkConfig.builder("x").url("ftp://h/p")).hasMessage("urls[0]: 'ftp://h/p' must start with http:// or https://");
        assertThatThrownBy(() -> HttpSinkConfig.builder("x").url("http://h/p#frag")).hasMessageContaining("#fragment");
        assertThatThrownBy(() -> HttpSinkConfig.builder("x").url("http://user:pw@h/ p")).hasMessageContaining("is not a valid URL")
                .message().doesNotContain("pw");
        assertThatThrownBy(() -> b().header("Host", "h").build()).hasMessage("sinks.ingest.http.headers.Host: the HTTP client sets this header itself; remove it");
        assertThatThrownBy(() -> b().header("Authorization", "x").bearer("t").build()).hasMessageContaining("headers.Authorization and auth are both set");
        assertThatThrownBy(() -> b().header("X-A", "a\nb").build()).hasMessageContaining("line break");
        assertThatThrownBy(() -> b().body(BodyFormat.TEMPLATE).build()).hasMessageContaining("template: body is template but no template is given");
        assertThatThrownBy(() -> b().template("x ${nope} y").build())
                .hasMessageContaining("sinks.ingest.http.template: unknown placeholder '${nope}' at position 2");
        assertThatThrownBy(() -> b().template("x ${topic").build()).hasMessageContaining("not closed");
        assertThatThrownBy(() -> b().template("x").body(BodyFormat.RAW).build()).hasMessageContaining("template is set but body is raw");
        assertThatThrownBy(() -> b().body(BodyFormat.GO).batch(10, null).build())
                .hasMessageContaining("batch.size: 10 needs body: envelope").hasMessageContaining("but body is go");
        assertThatThrownBy(() -> b().retryOn(200).build()).hasMessageContaining("retryOn: 200 is not an HTTP status 300..599");
        assertThatThrownBy(() -> b().retryOn(501).rejectOn(501).build()).hasMessageContaining("both list 501");
        assertThatThrownBy(() -> b().ca(Path.of("ca.pem")).insecure(true).ca(Path.of("x")).tls(new TlsSettings(Path.of("a"), true)))
                .hasMessageContaining("set either tls.ca");
        assertThatThrownBy(() -> b().maxInFlight(0).build()).hasMessageContaining("maxInFlight: 0 is out of range");
        assertThatThrownBy(() -> b().connectTimeout(Duration.ZERO)).hasMessage("timeout.connect: PT0S must be positive");
        assertThatThrownBy(() -> b().circuitBreaker(-1, Duration.ofSeconds(1))).hasMessageContaining("use 0 to turn the breaker off");
        assertThatThrownBy(() -> b().method("PO ST").build()).hasMessageContaining("is not an HTTP method");
        assertThatThrownBy(() -> HttpSinkConfig.builder("x").url("http://u:p@h/a").bearer("t").build()).hasMessageContaining("urls[0] carries user:password and auth is set too");
    }

    @Test
    void toStringHidesSecrets() {
        String s = HttpSinkConfig.builder("x").url("https://bob:hunter2@h.example/p?token=abc").header("X-Api-Key", "k-secret").build().toString()
                + HttpSinkConfig.builder("x").url("https://h.example/p").basic("bob", "hunter3").build()
                + HttpSinkConfig.builder("x").url("https://h.example/p").bearer("tok-secret").build();
        assertThat(s).doesNotContain("hunter2").doesNotContain("hunter3").doesNotContain("tok-secret").doesNotContain("k-secret")
                .doesNotContain("abc").contains("https://****@h.example/p?token=****").contains("X-Api-Key").contains("Bearer[***]")
                .contains("Basic[username=bob, password=***]");
    }
}
