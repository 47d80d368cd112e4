package io.routemq.sink.http.internal;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * SSL contexts for a custom CA or for the insecure flag.
 *
 * <p>Public only because {@code io.routemq.sink.http.HttpSink}, in this module, uses it; not API: other
 * modules must not use it.
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * A context that trusts exactly the CA certificate(s) of a PEM file (host names are still verified).
     *
     * @throws IllegalArgumentException naming the key and file when it cannot be read or holds no certificate
     */
    public static SSLContext trusting(String where, Path pemFile) {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": cannot read the CA file " + pemFile.toAbsolutePath() + " ("
                    + e.getClass().getSimpleName() + "); give the path of a PEM file with the CA certificate(s)", e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(where + ": " + pemFile.toAbsolutePath() + " is not a PEM certificate file ("
                    + e.getMessage() + ")", e);
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + pemFile.toAbsolutePath() + " holds no certificate; expected -----BEGIN CERTIFICATE-----");
        }
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) ks.setCertificateEntry("ca-" + i++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(where + ": cannot build a trust store from " + pemFile.toAbsolutePath() + ": " + e, e);
        }
    }

    /** A context that accepts every certificate and host name. */
    public static SSLContext trustingEverything() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{new TrustAll()}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an SSL context: " + e, e);
        }
    }

    /**
     * Accepts everything. Being an {@link X509ExtendedTrustManager}, the JDK does not wrap it with its own
     * host name check, so host names are not verified either.
     */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
