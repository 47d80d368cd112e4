package io.routemq.sink.http.internal;

import io.routemq.sink.http.StatusRules;
import io.routemq.sink.http.Timeouts;
import io.routemq.core.sink.DeliveryResult;
import io.routemq.sink.http.HttpSinkConfig;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/** Turns HTTP statuses and I/O errors into {@link DeliveryResult}s with messages an operator can act on. */
final class Classifier {

    /** How much of an error response body goes into the error text. */
    public static final int EXCERPT_CHARS = 200;

    private final StatusRules rules;
    private final Timeouts timeouts;
    private final Clock clock;

    /** A classifier for these rules. */
    public Classifier(StatusRules rules, Timeouts timeouts, Clock clock) {
        this.rules = rules;
        this.timeouts = timeouts;
        this.clock = clock;
    }

    /** What a status code means, before any message text. */
    public enum Verdict { DELIVERED, RETRY, REJECT }

    /** The verdict for a status code. */
    public Verdict verdict(int status) {
        if (rules.rejectOn().contains(status)) return Verdict.REJECT;
        if (rules.retryOn().contains(status)) return Verdict.RETRY;
        if (status >= 200 && status <= 299) return Verdict.DELIVERED;
        if (status == 408 || status == 429 || status >= 500) return Verdict.RETRY;
        return Verdict.REJECT;
    }

    /**
     * The result of a response.
     *
     * @param request    e.g. {@code POST https://host/path}
     * @param retryAfter the Retry-After header or null
     * @param location   the Location header or null (named in the error of a redirect)
     * @param excerpt    the first bytes of the response body (may be empty)
     */
    public DeliveryResult result(int status, String request, String retryAfter, String location, byte[] excerpt) {
        Verdict v = verdict(status);
        if (v == Verdict.DELIVERED) return DeliveryResult.DELIVERED;
        StringBuilder msg = new StringBuilder("HTTP ").append(status).append(" from ").append(request);
        String body = excerpt(excerpt);
        if (!body.isEmpty()) msg.append(": \"").append(body).append('"');
        if (status >= 300 && status < 400 && location != null) {
            msg.append(" (redirect to ").append(excerpt(location.getBytes(StandardCharsets.UTF_8)))
                    .append("; redirects are not followed: configure the final URL)");
        }
        if (v == Verdict.REJECT) return DeliveryResult.reject(msg.toString());
        Duration after = retryAfter == null ? null : parseRetryAfter(retryAfter, clock);
        if (after != null) msg.append(" (Retry-After: ").append(Durations.text(after)).append(')');
        return new DeliveryResult.Retry(msg.toString(), after);
    }

    /** A retryable result for a failed exchange, with the cause in words and a hint. */
    public DeliveryResult failure(String request, Throwable error) {
        return DeliveryResult.retry(describe(request, error));
    }

    /** Describes an I/O failure of a request. */
    public String describe(String request, Throwable error) {
        SSLException ssl = find(error, SSLException.class);
        if (ssl != null) {
            String m = rootMessage(ssl);
            String hint;
            if (m.contains("PKIX") || m.contains("certification path") || m.contains("unable to find valid")) {
                hint = "the server certificate is not signed by a trusted CA: set tls.ca to the PEM file of the CA that signed it";
            } else if (m.contains("subject alternative") || m.contains("No name matching") || m.contains("No subject")) {
                hint = "the server certificate does not name this host: use the host name it was issued for";
            } else if (ssl instanceof SSLHandshakeException) {
                hint = "check that the URL really serves HTTPS and that tls.ca is the right CA";
            } else {
                hint = "check that the URL really serves HTTPS";
            }
            return "TLS handshake with " + request + " failed: " + m + " (" + hint + ")";
        }
        if (find(error, HttpConnectTimeoutException.class) != null) {
            return "connect to " + request + " timed out after " + Durations.text(timeouts.connect()) + " (timeout.connect"
                    + (request.contains(" https://") ? "; it includes the TLS handshake, so also check that the server speaks HTTPS)" : ")");
        }
        if (find(error, HttpTimeoutException.class) != null) {
            return "no response from " + request + " within " + Durations.text(timeouts.request()) + " (timeout.request)";
        }
        if (find(error, UnknownHostException.class) != null) {
            return "cannot resolve the host of " + request + ": " + rootMessage(error);
        }
        ConnectException connect = find(error, ConnectException.class);
        if (connect != null) {
            // the JDK client often reports a refused connection as a ConnectException without a message
            String why = connect.getMessage() != null && !connect.getMessage().isBlank() ? connect.getMessage() : "connection refused or closed";
            return "cannot connect to " + request + ": " + why + " (is the receiver running?)";
        }
        return "I/O error on " + request + ": " + rootMessage(error);
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (int i = 0; t != null && i < 10; i++, t = t.getCause()) {
            if (type.isInstance(t)) return type.cast(t);
        }
        return null;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        String msg = null;
        for (int i = 0; root != null && i < 10; i++) {
            if (root.getMessage() != null && !root.getMessage().isBlank()) msg = root.getMessage();
            if (root.getCause() == null) break;
            root = root.getCause();
        }
        String name = root == null ? t.getClass().getSimpleName() : root.getClass().getSimpleName();
        if (msg == null) return name;
        return name.equals("ConnectException") || name.equals("IOException") ? msg : name + ": " + msg;
    }

    /** The body excerpt: UTF-8 with control characters as spaces, at most {@value #EXCERPT_CHARS} characters. */
    public static String excerpt(byte[] bytes) {
        if (bytes == null || bytes.length == 0) return "";
        String s = new String(bytes, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(Math.min(s.length(), EXCERPT_CHARS + 1));
        boolean space = false;
        for (int i = 0; i < s.length() && sb.length() < EXCERPT_CHARS; i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                if (!space && !sb.isEmpty()) sb.append(' ');
                space = true;
            } else {
                sb.append(c);
                space = false;
            }
        }
        String out = sb.toString().strip();
        return s.length() > EXCERPT_CHARS || bytes.length >= ExcerptBodyHandler.LIMIT ? out + "..." : out;
    }

    private static final List<DateTimeFormatter> HTTP_DATES = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", Locale.US), // RFC 850 (obsolete)
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(java.time.ZoneOffset.UTC)); // asctime

    /**
     * Parses a Retry-After value: delay-seconds ({@code 120}) or an HTTP-date ({@code Wed, 21 Oct 2015 07:28:00 GMT},
     * also the obsolete RFC 850 and asctime forms). A date in the past gives zero. Returns null when unparsable.
     */
    public static Duration parseRetryAfter(String value, Clock clock) {
        String v = value.strip();
        if (v.isEmpty()) return null;
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException | ArithmeticException e) {
                return null;
            }
        }
        for (DateTimeFormatter f : HTTP_DATES) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, f);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return null;
    }
}
