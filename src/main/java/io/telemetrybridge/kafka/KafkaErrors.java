package io.telemetrybridge.kafka;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;

/**
 * Turns the Kafka client's security failures into one line an operator can act on (which setting to check),
 * for the start-up log and the {@code kafka} readiness check. Other failures are left to the caller.
 */
public final class KafkaErrors {

    private KafkaErrors() {}

    /**
     * @param failure what a Kafka call threw (ExecutionException and CompletionException are unwrapped)
     * @return a sentence naming the cause and the settings to check, or null when it is not a security failure
     */
    public static String securityProblem(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof ExecutionException
                || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof SaslAuthenticationException) {
            return "authentication failed: " + e.getMessage() + " (check bridge.kafka.sasl.mechanism, .username and "
                    + ".password)";
        }
        if (e instanceof SslAuthenticationException) {
            String root = rootMessage(e);
            String hint;
            if (root.contains("PKIX") || root.contains("certification path")) {
                hint = "the broker's certificate is not signed by a CA the bridge trusts (bridge.kafka.ssl.ca-path)";
            } else if (root.contains("subject alternative") || root.contains("No name matching")) {
                hint = "the broker's certificate does not name the host the bridge connected to (fix the "
                        + "certificate's subject alternative names; bridge.kafka.ssl.verify=false skips this check)";
            } else if (root.contains("bad_certificate") || root.contains("certificate_required")) {
                hint = "the broker did not accept the bridge's client certificate (bridge.kafka.ssl.certificate-path"
                        + " and .key-path)";
            } else {
                hint = "check bridge.kafka.security.protocol and bridge.kafka.ssl.*";
            }
            return "TLS handshake failed: " + hint + " [" + root + "]";
        }
        if (e instanceof UnsupportedSaslMechanismException) {
            return "the broker does not enable this SASL mechanism: " + e.getMessage()
                    + " (check bridge.kafka.sasl.mechanism)";
        }
        if (e instanceof IllegalSaslStateException) {
            return "SASL handshake failed: " + e.getMessage() + " (check bridge.kafka.security.protocol for this port)";
        }
        if (e instanceof AuthorizationException) {
            return "not authorized: " + e.getMessage() + " (the bridge's principal needs ACLs to describe the "
                    + "cluster and to create, describe, write and read its topics)";
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
