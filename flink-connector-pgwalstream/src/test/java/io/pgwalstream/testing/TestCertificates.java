package io.pgwalstream.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A certificate authority and a server certificate signed by it, made for one test and written as
 * PEM files: {@code ca.crt} (what a client trusts), {@code server.crt} and {@code server.key} (what
 * PostgreSQL serves).
 */
public record TestCertificates(Path caCertificate, Path serverCertificate, Path serverKey) {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /**
     * @param directory where the files go (created if missing)
     * @param ipAddress the one name the server certificate is valid for, as an IP address entry
     */
    public static TestCertificates create(Path directory, String ipAddress) {
        try {
            Files.createDirectories(directory);
            KeyPair ca = rsa();
            X500Name caName = new X500Name("CN=pg-walstream test CA " + SERIAL.incrementAndGet());
            X509v3CertificateBuilder caBuilder = builder(caName, caName, ca);
            caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            caBuilder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509CertificateHolder caCert = caBuilder.build(signer(ca));

            KeyPair server = rsa();
            X509v3CertificateBuilder serverBuilder =
                    builder(caName, new X500Name("CN=" + ipAddress), server);
            serverBuilder.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(new GeneralName(GeneralName.iPAddress, ipAddress)));
            X509CertificateHolder serverCert = serverBuilder.build(signer(ca));

            Path caFile = directory.resolve("ca.crt");
            Path certFile = directory.resolve("server.crt");
            Path keyFile = directory.resolve("server.key");
            Files.writeString(caFile, pem(caCert));
            Files.writeString(certFile, pem(serverCert));
            Files.writeString(keyFile, pem(server.getPrivate()));
            return new TestCertificates(caFile, certFile, keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot make test certificates", e);
        }
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(
            X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))),
                subject,
                keys.getPublic());
    }

    private static ContentSigner signer(KeyPair keys) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
