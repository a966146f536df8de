package io.telemetrybridge.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time with the JDK's keytool: a CA, a broker key store (PKCS#12, certificate for
 * 127.0.0.1 and localhost signed by the CA), a client certificate and PKCS#8 key as PEM files for mutual TLS,
 * and a second CA nobody signed anything with (an "untrusted" CA for the bridge to trust instead).
 */
public final class TestCertificates {

    public static final String STORE_PASSWORD = "store-pass-3d81";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** Makes every file under a new temporary folder (about a dozen keytool runs). */
    public static TestCertificates create() throws IOException, InterruptedException {
        TestCertificates c = new TestCertificates(Files.createTempDirectory("certs-"));
        c.ca("ca");
        c.ca("other-ca");
        c.signed("broker", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        c.signed("client", "CN=telemetry-bridge", null);
        c.exportPem("client");
        c.signed("https", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        c.exportPem("https");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", c.caPem().toString(), "-keystore",
                c.caTrustStore().toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        return c;
    }

    /** PEM certificate of the CA that signed the broker's and the client's certificates. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** PKCS#12 trust store holding only the CA's certificate (password {@link #STORE_PASSWORD}). */
    public Path caTrustStore() {
        return dir.resolve("ca-trust.p12");
    }

    /** PEM certificate of a CA that signed nothing here. */
    public Path otherCaPem() {
        return dir.resolve("other-ca.pem");
    }

    /** PKCS#12 key store of the broker: its key, and its certificate chain up to the CA. */
    public Path brokerKeyStore() {
        return dir.resolve("broker.p12");
    }

    /** PEM certificate chain of the client (its certificate, then the CA's). */
    public Path clientCertificatePem() {
        return dir.resolve("client-chain.pem");
    }

    /** PEM PKCS#8 private key of the client, unencrypted. */
    public Path clientKeyPem() {
        return dir.resolve("client-key.pem");
    }

    /** PEM certificate chain for an HTTPS server on 127.0.0.1 / localhost. */
    public Path httpsCertificatePem() {
        return dir.resolve("https-chain.pem");
    }

    /** PEM PKCS#8 private key of {@link #httpsCertificatePem()}. */
    public Path httpsKeyPem() {
        return dir.resolve("https-key.pem");
    }

    /** An SSL context that trusts only the CA. */
    public javax.net.ssl.SSLContext trustingCa() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem())) {
            trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    /** A file next to the certificates (for secrets the test writes). */
    public Path file(String name) {
        return dir.resolve(name);
    }

    private void ca(String name) throws IOException, InterruptedException {
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name,
                "-ext", "bc:c", "-validity", "2", "-keystore", store(name), "-storetype", "PKCS12",
                "-storepass", STORE_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store(name), "-storepass", STORE_PASSWORD,
                "-file", dir.resolve(name + ".pem").toString());
    }

    private void signed(String name, String dname, String san) throws IOException, InterruptedException {
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", dname,
                "-validity", "2", "-keystore", store(name), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        Path csr = dir.resolve(name + ".csr");
        keytool("-certreq", "-alias", name, "-keystore", store(name), "-storepass", STORE_PASSWORD,
                "-file", csr.toString());
        List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", store("ca"),
                "-storepass", STORE_PASSWORD, "-infile", csr.toString(), "-outfile",
                dir.resolve(name + ".pem").toString(), "-rfc", "-validity", "2"));
        if (san != null) {
            sign.addAll(List.of("-ext", san));
        }
        keytool(sign.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem().toString(), "-keystore", store(name),
                "-storepass", STORE_PASSWORD);
        keytool("-importcert", "-alias", name, "-file", dir.resolve(name + ".pem").toString(), "-keystore",
                store(name), "-storepass", STORE_PASSWORD);
    }

    /** Writes the chain and the private key of {@code name}'s key store as PEM files. */
    private void exportPem(String name) throws IOException {
        KeyStore store;
        try (InputStream in = Files.newInputStream(Path.of(store(name)))) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD.toCharArray());
            PrivateKey key = (PrivateKey) store.getKey(name, STORE_PASSWORD.toCharArray());
            Files.writeString(dir.resolve(name + "-key.pem"), pem("PRIVATE KEY", key.getEncoded()),
                    StandardCharsets.US_ASCII);
            StringBuilder chain = new StringBuilder();
            for (java.security.cert.Certificate c : store.getCertificateChain(name)) {
                chain.append(pem("CERTIFICATE", c.getEncoded()));
            }
            Files.writeString(dir.resolve(name + "-chain.pem"), chain, StandardCharsets.US_ASCII);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static String pem(String kind, byte[] der) {
        return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + kind + "-----\n";
    }

    private String store(String name) {
        return dir.resolve(name + ".p12").toString();
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
