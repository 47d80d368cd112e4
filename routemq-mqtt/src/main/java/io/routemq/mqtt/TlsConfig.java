package io.routemq.mqtt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * TLS options of a session. Without a CA the JVM's default trust store is used. Host name verification is on unless
 * {@link #insecure()} is set; {@code insecure} trusts any certificate and any host name, logs a warning at connect,
 * and is meant for tests only.
 *
 * @param caFile               trusted CA certificates: a PEM file, or a PKCS12 trust store ({@code .p12}/{@code .pfx}); null for the JVM default
 * @param caPassword           the PKCS12 trust store password, or null
 * @param certificateFile      the client certificate chain as PEM (with {@code keyFile}), or null
 * @param keyFile              the client private key as unencrypted PKCS#8 or PKCS#1 (RSA) PEM, or null
 * @param keyStoreFile         a PKCS12 key store with the client certificate and key (instead of the two PEM files), or null
 * @param keyStorePassword     the PKCS12 key store password, or null
 * @param hostnameVerification whether the server certificate must match the host name (default true)
 * @param insecure             trust every certificate and host name (default false); logs a warning
 * @param protocols            TLS protocol versions to allow, empty for the JVM default
 * @param handshakeTimeout     the TLS handshake timeout (default 10s)
 */
public record TlsConfig(Path caFile, String caPassword, Path certificateFile, Path keyFile, Path keyStoreFile,
                        String keyStorePassword, boolean hostnameVerification, boolean insecure, List<String> protocols,
                        Duration handshakeTimeout) {

    /** The default: JVM trust store, host name verification on. */
    public static final TlsConfig DEFAULT = builder().build();

    /** Validates the combination. */
    public TlsConfig {
        protocols = protocols == null ? List.of() : List.copyOf(protocols);
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if ((certificateFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("tls: certificateFile and keyFile go together; got certificateFile=" + certificateFile
                    + ", keyFile=" + keyFile);
        }
        if (keyStoreFile != null && certificateFile != null) {
            throw new IllegalArgumentException("tls: give either keyStoreFile (PKCS12) or certificateFile + keyFile (PEM), not both");
        }
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "TlsConfig[ca=" + caFile + ", certificate=" + certificateFile + ", key=" + keyFile + ", keyStore=" + keyStoreFile
                + ", hostnameVerification=" + hostnameVerification + ", insecure=" + insecure + "]";
    }

    /** Builds a {@link TlsConfig}. */
    public static final class Builder {
        private Path caFile;
        private String caPassword;
        private Path certificateFile;
        private Path keyFile;
        private Path keyStoreFile;
        private String keyStorePassword;
        private boolean hostnameVerification = true;
        private boolean insecure;
        private List<String> protocols = List.of();
        private Duration handshakeTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** Trusted CA certificates as PEM. */
        public Builder ca(Path pemFile) {
            this.caFile = pemFile;
            return this;
        }

        /** Trusted CA certificates as a PKCS12 trust store. */
        public Builder caPkcs12(Path file, String password) {
            this.caFile = file;
            this.caPassword = password;
            return this;
        }

        /** The client certificate chain and private key as PEM files. */
        public Builder clientCertificate(Path certificatePem, Path keyPem) {
            this.certificateFile = certificatePem;
            this.keyFile = keyPem;
            return this;
        }

        /** The client certificate and key in a PKCS12 key store. */
        public Builder clientKeyStore(Path pkcs12, String password) {
            this.keyStoreFile = pkcs12;
            this.keyStorePassword = password;
            return this;
        }

        /** Whether the server certificate must match the host name (default true). */
        public Builder hostnameVerification(boolean verify) {
            this.hostnameVerification = verify;
            return this;
        }

        /** Trusts any certificate and any host name. For tests only; logs a warning. */
        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        /** The TLS versions to allow, such as {@code TLSv1.3}. */
        public Builder protocols(String... protocols) {
            this.protocols = List.of(protocols);
            return this;
        }

        /** The handshake timeout (default 10s). */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = timeout;
            return this;
        }

        /** Builds the config. */
        public TlsConfig build() {
            return new TlsConfig(caFile, caPassword, certificateFile, keyFile, keyStoreFile, keyStorePassword, hostnameVerification,
                    insecure, protocols, handshakeTimeout);
        }
    }
}
