package io.telemetrybridge.http;

import java.nio.file.Path;

/**
 * The HTTPS server ({@code bridge.http.tls.*}; docs/security.md), validated at start-up: the files are readable,
 * PEM, and the key is not encrypted.
 *
 * @param port     port of the HTTPS server (1 to 65535)
 * @param host     interface it binds to ({@code bridge.http.tls.host}, else {@code camel.server.host})
 * @param certPath PEM certificate chain, the server's certificate first
 * @param keyPath  PEM private key of that certificate (PKCS#8 or PKCS#1)
 */
public record HttpsSettings(int port, String host, Path certPath, Path keyPath) {}
