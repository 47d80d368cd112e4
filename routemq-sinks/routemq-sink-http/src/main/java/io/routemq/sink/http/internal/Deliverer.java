package io.routemq.sink.http.internal;

import io.routemq.core.config.Values;

import io.routemq.sink.http.BodyFormat;
import io.routemq.sink.http.HttpAuth;
import io.routemq.core.sink.DeliveryResult;
import io.routemq.core.sink.Envelope;
import io.routemq.sink.http.HttpSinkConfig;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The delivery engine behind {@link io.routemq.sink.http.HttpSink}: encodes bodies, picks URLs by mode, bounds
 * concurrency per URL, applies the circuit breakers and classifies the outcome. Thread-safe.
 *
 * <p>Public only because {@code io.routemq.sink.http.HttpSink}, in this module, uses it; not API: other modules must
 * not use it.
 */
public final class Deliverer implements AutoCloseable {

    private static final String USER_AGENT = "RouteMQ-HttpSink";

    private final HttpSinkConfig cfg;
    private final Transport transport;
    private final List<Endpoint> endpoints;
    private final Classifier classifier;
    private final Template template;
    private final String configuredContentType;
    private final AtomicLong next = new AtomicLong();
    private final ExecutorService tasks = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param sslContext the context for https URLs, or null for the JDK default
     * @param clock      wall clock (Retry-After dates)
     * @param nanoClock  monotonic clock (circuit breakers)
     */
    public Deliverer(HttpSinkConfig cfg, SSLContext sslContext, Clock clock, LongSupplier nanoClock) {
        this.cfg = cfg;
        this.classifier = new Classifier(cfg.statusRules(), cfg.timeout(), clock);
        this.template = cfg.body() == BodyFormat.TEMPLATE ? Template.compile(cfg.template(), "sinks." + cfg.name() + ".http.template") : null;
        String ct = null;
        boolean ua = false;
        Map<String, String> h = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : cfg.headers().entrySet()) {
            String lower = e.getKey().toLowerCase(Locale.ROOT);
            if (lower.equals("content-type")) {
                ct = e.getValue();
            } else {
                if (lower.equals("user-agent")) ua = true;
                h.put(e.getKey(), e.getValue());
            }
        }
        this.configuredContentType = ct;
        String global = authHeader(cfg.auth());
        List<Endpoint> eps = new ArrayList<>();
        for (URI u : cfg.urls()) {
            String display = Urls.display(u);
            String auth = u.getUserInfo() != null ? basicFromUserInfo(u.getUserInfo()) : global;
            eps.add(new Endpoint(Urls.withoutUserInfo(u), display, auth, cfg.maxInFlight(), new Semaphore(cfg.maxInFlight(), true),
                    new CircuitBreaker(display, cfg.circuitBreaker().failures(), cfg.circuitBreaker().openFor(), nanoClock)));
        }
        this.endpoints = List.copyOf(eps);
        if (!ua) h.put("User-Agent", USER_AGENT);
        Map<String, String> fixed = Collections.unmodifiableMap(h);
        // HTTP/1.1 (the default) on Apache HttpClient: a third of the JDK client's CPU per request (see ApacheTransport);
        // HTTP/2 stays on the JDK client, which speaks it.
        this.transport = cfg.version() == HttpClient.Version.HTTP_2
                ? new JdkTransport(cfg, sslContext, fixed)
                : new ApacheTransport(cfg, sslContext, fixed, eps.size());
    }

    /** The endpoints, in configured order. */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** Delivers; see {@link io.routemq.core.sink.Sink#deliver(List)}. */
    public List<DeliveryResult> deliver(List<Envelope> envelopes) throws InterruptedException {
        if (envelopes.isEmpty()) return List.of();
        List<List<Envelope>> units = new ArrayList<>();
        if (cfg.batch().enabled()) {
            for (int i = 0; i < envelopes.size(); i += cfg.batch().size()) {
                units.add(envelopes.subList(i, Math.min(envelopes.size(), i + cfg.batch().size())));
            }
        } else {
            for (Envelope e : envelopes) units.add(List.of(e));
        }
        DeliveryResult[] unitResults = new DeliveryResult[units.size()];
        if (units.size() == 1) {
            unitResults[0] = send(units.get(0));
        } else {
            List<Future<DeliveryResult>> futures = new ArrayList<>(units.size());
            for (List<Envelope> unit : units) futures.add(tasks.submit(() -> send(unit)));
            try {
                for (int i = 0; i < futures.size(); i++) unitResults[i] = futures.get(i).get();
            } catch (InterruptedException e) {
                futures.forEach(f -> f.cancel(true));
                throw e;
            } catch (ExecutionException e) {
                futures.forEach(f -> f.cancel(true));
                throw new IllegalStateException("HTTP sink '" + cfg.name() + "': a delivery task failed unexpectedly", e.getCause());
            }
        }
        List<DeliveryResult> out = new ArrayList<>(envelopes.size());
        for (int i = 0; i < units.size(); i++) {
            for (int k = 0; k < units.get(i).size(); k++) out.add(unitResults[i]);
        }
        return out;
    }

    /** A request body: the first {@code length} bytes of {@code bytes}. */
    private record Body(byte[] bytes, int length, String contentType) {
        Body(byte[] bytes, String contentType) {
            this(bytes, bytes.length, contentType);
        }

        Body(EnvelopeJson.Encoded encoded, String contentType) {
            this(encoded.bytes(), encoded.length(), contentType);
        }
    }

    private Body encode(List<Envelope> unit) {
        if (cfg.batch().enabled()) return new Body(EnvelopeJson.array(unit), orConfigured("application/json"));
        Envelope e = unit.get(0);
        return switch (cfg.body()) {
            case RAW -> new Body(e.payload(), e.contentType() != null ? e.contentType() : orConfigured("application/octet-stream"));
            case ENVELOPE -> new Body(EnvelopeJson.one(e), orConfigured("application/json"));
            case GO -> new Body(GoFormat.body(e.payload()), orConfigured("application/json"));
            case TEMPLATE -> new Body(template.render(e), orConfigured(template.contentType()));
        };
    }

    private String orConfigured(String fallback) {
        return configuredContentType != null ? configuredContentType : fallback;
    }

    private DeliveryResult send(List<Envelope> unit) throws InterruptedException {
        Body body;
        try {
            body = encode(unit);
        } catch (RuntimeException e) {
            return DeliveryResult.reject("cannot build the " + cfg.body().name().toLowerCase(Locale.ROOT) + " body for topic '"
                    + unit.get(0).topic() + "': " + e);
        }
        if (endpoints.size() == 1) return attempt(endpoints.get(0), body);
        return switch (cfg.mode()) {
            case FAILOVER, FANOUT -> failover(body);
            case ROUND_ROBIN -> roundRobin(body);
        };
    }

    private DeliveryResult failover(Body body) throws InterruptedException {
        List<DeliveryResult.Retry> failures = new ArrayList<>(endpoints.size());
        for (Endpoint ep : endpoints) {
            DeliveryResult r = attempt(ep, body);
            if (!(r instanceof DeliveryResult.Retry retry)) return r;
            failures.add(retry);
        }
        return combine(failures);
    }

    private DeliveryResult roundRobin(Body body) throws InterruptedException {
        int n = endpoints.size();
        long start = next.getAndIncrement();
        List<DeliveryResult.Retry> refusals = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Endpoint ep = endpoints.get((int) ((start + i) % n));
            CircuitBreaker.Refusal refusal = ep.breaker().tryAcquire();
            if (refusal == null) return exchange(ep, body);
            refusals.add(new DeliveryResult.Retry(refusal.reason(), refusal.retryAfter()));
        }
        return combine(refusals);
    }

    private DeliveryResult combine(List<DeliveryResult.Retry> failures) {
        if (failures.size() == 1) return failures.get(0);
        StringBuilder msg = new StringBuilder("all ").append(failures.size()).append(" URLs failed: ");
        Duration after = null;
        boolean allHaveDelay = true;
        for (int i = 0; i < failures.size(); i++) {
            if (i > 0) msg.append("; ");
            msg.append(failures.get(i).error());
            Duration d = failures.get(i).retryAfter();
            if (d == null) allHaveDelay = false;
            else if (after == null || d.compareTo(after) < 0) after = d;
        }
        return new DeliveryResult.Retry(msg.toString(), allHaveDelay ? after : null);
    }

    private DeliveryResult attempt(Endpoint ep, Body body) throws InterruptedException {
        CircuitBreaker.Refusal refusal = ep.breaker().tryAcquire();
        if (refusal != null) return new DeliveryResult.Retry(refusal.reason(), refusal.retryAfter());
        return exchange(ep, body);
    }

    /** One request to an endpoint whose breaker already allowed it. */
    private DeliveryResult exchange(Endpoint ep, Body body) throws InterruptedException {
        String request = cfg.method() + " " + ep.display();
        boolean acquired;
        try {
            acquired = ep.permits().tryAcquire(cfg.timeout().request().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            ep.breaker().abandon();
            throw e;
        }
        if (!acquired) {
            ep.breaker().abandon();
            return DeliveryResult.retry("maxInFlight " + cfg.maxInFlight() + " requests to " + ep.display() + " stayed busy for "
                    + Values.formatDuration(cfg.timeout().request()) + " (timeout.request)");
        }
        try {
            Transport.Response resp = transport.send(ep.uri(), body.bytes(), body.length(), body.contentType(), ep.authHeader());
            DeliveryResult r = classifier.result(resp.status(), request, resp.retryAfter(), resp.location(), resp.excerpt());
            if (r instanceof DeliveryResult.Retry retry) ep.breaker().onFailure(retry.error());
            else ep.breaker().onSuccess();
            return r;
        } catch (IOException e) {
            String msg = classifier.describe(request, e);
            ep.breaker().onFailure(msg);
            return DeliveryResult.retry(msg);
        } catch (InterruptedException e) {
            ep.breaker().abandon();
            throw e;
        } catch (RuntimeException e) {
            ep.breaker().abandon();
            return DeliveryResult.retry("unexpected error on " + request + ": " + e);
        } finally {
            ep.permits().release();
        }
    }

    /** The Authorization header value for the configured auth, or null. */
    static String authHeader(HttpAuth auth) {
        return switch (auth) {
            case HttpAuth.None n -> null;
            case HttpAuth.Bearer b -> "Bearer " + b.token();
            case HttpAuth.Basic b -> basic(b.username(), b.password());
        };
    }

    private static String basicFromUserInfo(String userInfo) {
        int colon = userInfo.indexOf(':');
        return colon < 0 ? basic(userInfo, "") : basic(userInfo.substring(0, colon), userInfo.substring(colon + 1));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        tasks.shutdownNow();
        transport.close();
    }

    @Override
    public String toString() {
        return "Deliverer" + Arrays.toString(endpoints.toArray());
    }
}
