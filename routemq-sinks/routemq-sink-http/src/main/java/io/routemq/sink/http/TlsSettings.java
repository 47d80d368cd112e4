package io.routemq.sink.http;

import java.nio.file.Path;

/**
 * TLS settings for https URLs.
 *
 * @param ca       a PEM file with the CA certificate(s) to trust instead of the JDK's default trust store, or null
 * @param insecure trust any certificate and host name (logs a warning; for tests only)
 */
public record TlsSettings(Path ca, boolean insecure) {
    /** The JDK's default trust store, verification on. */
    public static final TlsSettings DEFAULT = new TlsSettings(null, false);

    /** Validates that not both are set. */
    public TlsSettings {
        if (ca != null && insecure) {
            throw new IllegalArgumentException("tls: set either tls.ca (trust this CA) or tls.insecure (trust anything), not both");
        }
    }
}
