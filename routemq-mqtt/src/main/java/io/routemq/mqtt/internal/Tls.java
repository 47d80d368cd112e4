package io.routemq.mqtt.internal;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.TlsConfig;
import io.routemq.mqtt.TlsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Builds the client's TLS setup from PEM or PKCS12 files. */
final class Tls {
    private static final Logger log = LoggerFactory.getLogger(Tls.class);

    private Tls() {
    }

    static MqttClientSslConfig sslConfig(SessionConfig config) {
        TlsConfig tls = config.effectiveTls();
        MqttClientSslConfigBuilder b = MqttClientSslConfig.builder();
        try {
            if (tls.insecure()) {
                log.warn("session '{}' ({}): TLS is INSECURE: the server certificate and host name are not verified;"
                        + " anyone on the path can read and change the traffic. Use this for tests only.", config.name(), config.url());
                b.trustManagerFactory(trustAll()).hostnameVerifier((host, session) -> true);
            } else {
                if (tls.caFile() != null) b.trustManagerFactory(trust(tls));
                if (!tls.hostnameVerification()) {
                    log.warn("session '{}' ({}): TLS host name verification is off", config.name(), config.url());
                    b.hostnameVerifier((host, session) -> true);
                }
            }
            KeyManagerFactory kmf = keys(tls);
            if (kmf != null) b.keyManagerFactory(kmf);
            if (!tls.protocols().isEmpty()) b.protocols(tls.protocols());
            b.handshakeTimeout(tls.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return b.build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new TlsException(config.name(), config.url(), "cannot set up TLS for session '" + config.name() + "' ("
                    + config.url() + "): " + e.getMessage(), e);
        }
    }

    /** A trust manager factory that accepts every certificate (insecure mode only). */
    private static TrustManagerFactory trustAll() {
        javax.net.ssl.X509TrustManager all = new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        };
        javax.net.ssl.TrustManagerFactorySpi spi = new javax.net.ssl.TrustManagerFactorySpi() {
            @Override
            protected void engineInit(KeyStore ks) {
            }

            @Override
            protected void engineInit(javax.net.ssl.ManagerFactoryParameters spec) {
            }

            @Override
            protected javax.net.ssl.TrustManager[] engineGetTrustManagers() {
                return new javax.net.ssl.TrustManager[]{all};
            }
        };
        return new TrustManagerFactory(spi, null, "insecure") {
        };
    }

    private static boolean pkcs12(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".p12") || n.endsWith(".pfx") || n.endsWith(".pkcs12");
    }

    private static TrustManagerFactory trust(TlsConfig tls) throws IOException, GeneralSecurityException {
        KeyStore ks;
        Path ca = tls.caFile();
        if (pkcs12(ca)) {
            ks = loadPkcs12(ca, tls.caPassword());
        } else {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            List<Certificate> certs = certificates(ca);
            for (int i = 0; i < certs.size(); i++) ks.setCertificateEntry("ca-" + i, certs.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf;
    }

    private static KeyManagerFactory keys(TlsConfig tls) throws IOException, GeneralSecurityException {
        KeyStore ks;
        char[] pw;
        if (tls.keyStoreFile() != null) {
            pw = tls.keyStorePassword() == null ? new char[0] : tls.keyStorePassword().toCharArray();
            ks = loadPkcs12(tls.keyStoreFile(), tls.keyStorePassword());
        } else if (tls.certificateFile() != null) {
            pw = new char[0];
            ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            List<Certificate> chain = certificates(tls.certificateFile());
            ks.setKeyEntry("client", privateKey(tls.keyFile()), pw, chain.toArray(new Certificate[0]));
        } else {
            return null;
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        return kmf;
    }

    private static KeyStore loadPkcs12(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password == null ? new char[0] : password.toCharArray());
        } catch (IOException e) {
            throw new IOException("cannot read PKCS12 file " + file + " (wrong password?): " + e.getMessage(), e);
        }
        return ks;
    }

    private static List<Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> c = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (c.isEmpty()) throw new IOException("no certificate found in " + pem + "; expected PEM '-----BEGIN CERTIFICATE-----'");
            return new ArrayList<>(c);
        }
    }

    static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        byte[] der;
        if (text.contains("-----BEGIN PRIVATE KEY-----")) {
            der = block(text, "PRIVATE KEY");
        } else if (text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            der = pkcs1ToPkcs8(block(text, "RSA PRIVATE KEY"));
        } else if (text.contains("ENCRYPTED")) {
            throw new IOException("key file " + pem + " is encrypted; convert it: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
        } else {
            throw new IOException("key file " + pem + " is not a PKCS#8 ('BEGIN PRIVATE KEY') or RSA PKCS#1 PEM key; convert it:"
                    + " openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String alg : new String[]{"RSA", "EC", "Ed25519", "EdDSA", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("unsupported private key type in " + pem, last);
    }

    private static byte[] block(String text, String type) throws IOException {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int a = text.indexOf(begin);
        int z = text.indexOf(end, a);
        if (a < 0 || z < 0) throw new IOException("PEM block '" + type + "' not found");
        return Base64.getMimeDecoder().decode(text.substring(a + begin.length(), z));
    }

    /** Wraps an RSA PKCS#1 key in a PKCS#8 structure. */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algId = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octet = der(0x04, pkcs1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(version);
        body.writeBytes(algId);
        body.writeBytes(octet);
        return der(0x30, body.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len & 0xff);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write((len >> 8) & 0xff);
            out.write(len & 0xff);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
