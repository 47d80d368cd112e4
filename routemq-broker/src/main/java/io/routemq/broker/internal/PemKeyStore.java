package io.routemq.broker.internal;

import io.routemq.broker.BrokerConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a PEM certificate chain and a PEM private key into the PKCS12 keystore HiveMQ needs.
 * Supported keys: unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC, Ed25519) and PKCS#1 ({@code BEGIN RSA PRIVATE KEY}).
 *
 * <p>Public only because {@code io.routemq.broker.EmbeddedBroker}, in this module, uses it; not API: other modules
 * must not use it.
 */
public final class PemKeyStore {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");
    // AlgorithmIdentifier rsaEncryption with NULL parameters
    private static final byte[] RSA_ALG_ID = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
            0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemKeyStore() {
    }

    /**
     * @param certFile PEM certificate chain (server certificate first)
     * @param keyFile  PEM private key
     * @param target   keystore file to write
     * @param password keystore and key password
     * @throws BrokerConfigException if a file is missing or cannot be parsed
     */
    public static void write(Path certFile, Path keyFile, Path target, char[] password) {
        List<Certificate> chain = readCerts(certFile);
        PrivateKey key = readKey(keyFile);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("routemq", key, password, chain.toArray(Certificate[]::new));
            try (OutputStream out = Files.newOutputStream(target)) {
                ks.store(out, password);
            }
        } catch (GeneralSecurityException e) {
            throw new BrokerConfigException("broker.tls: the key in " + keyFile + " does not fit the certificate in "
                    + certFile + " (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new BrokerConfigException("broker.tls: cannot write the keystore " + target + ": " + e, e);
        }
    }

    private static String readText(Path file, String key) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new BrokerConfigException("broker.tls." + key + ": cannot read " + file.toAbsolutePath() + " ("
                    + e.getClass().getSimpleName() + "). Point it at a PEM file.", e);
        }
    }

    private static List<Certificate> readCerts(Path file) {
        String pem = readText(file, "cert");
        List<Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Matcher m = BLOCK.matcher(pem);
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    certs.add(cf.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new BrokerConfigException("broker.tls.cert: " + file + " holds an unreadable certificate: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new BrokerConfigException("broker.tls.cert: " + file + " holds no '-----BEGIN CERTIFICATE-----' block");
        }
        return certs;
    }

    private static PrivateKey readKey(Path file) {
        String pem = readText(file, "key");
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(decode(m.group(2)), file);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(wrapPkcs1(decode(m.group(2))), file);
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new BrokerConfigException("broker.tls.key: " + file
                        + " is encrypted; decrypt it with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem'");
                case "EC PRIVATE KEY" -> throw new BrokerConfigException("broker.tls.key: " + file
                        + " is a SEC1 EC key; convert it with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem'");
                default -> {
                    // skip e.g. EC PARAMETERS
                }
            }
        }
        throw new BrokerConfigException("broker.tls.key: " + file + " holds no '-----BEGIN PRIVATE KEY-----' block");
    }

    private static PrivateKey pkcs8(byte[] der, Path file) {
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next one
            }
        }
        throw new BrokerConfigException("broker.tls.key: " + file + " holds a private key of an unsupported type;"
                + " use an RSA, EC or Ed25519 key in PKCS#8 form");
    }

    private static byte[] wrapPkcs1(byte[] pkcs1) {
        // PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING pkcs1 }
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octet = tlv(0x04, pkcs1);
        byte[] body = new byte[version.length + RSA_ALG_ID.length + octet.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(RSA_ALG_ID, 0, body, version.length, RSA_ALG_ID.length);
        System.arraycopy(octet, 0, body, version.length + RSA_ALG_ID.length, octet.length);
        return tlv(0x30, body);
    }

    private static byte[] tlv(int tag, byte[] value) {
        int len = value.length;
        byte[] lenBytes;
        if (len < 0x80) {
            lenBytes = new byte[] {(byte) len};
        } else if (len < 0x100) {
            lenBytes = new byte[] {(byte) 0x81, (byte) len};
        } else if (len < 0x10000) {
            lenBytes = new byte[] {(byte) 0x82, (byte) (len >> 8), (byte) len};
        } else {
            lenBytes = new byte[] {(byte) 0x83, (byte) (len >> 16), (byte) (len >> 8), (byte) len};
        }
        byte[] out = new byte[1 + lenBytes.length + len];
        out[0] = (byte) tag;
        System.arraycopy(lenBytes, 0, out, 1, lenBytes.length);
        System.arraycopy(value, 0, out, 1 + lenBytes.length, len);
        return out;
    }

    private static byte[] decode(String base64) {
        return Base64.getMimeDecoder().decode(base64.strip());
    }
}
