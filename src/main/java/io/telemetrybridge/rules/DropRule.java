package io.telemetrybridge.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Locale;

/**
 * Leaves out the items that match every condition set: {@code severityBelow} (log records under a severity:
 * TRACE, DEBUG, INFO, WARN, ERROR, FATAL or an OTLP severity number 1–24; records of unspecified severity are
 * kept), {@code name} (an RE2J pattern found in the span name, metric name or log event name), {@code attribute}
 * or {@code resourceAttribute} (present, or with {@code matches} an RE2J pattern found in its value). A dropped
 * item is counted in {@code telemetry_bridge_rule_dropped_total{rule,signal}}; it is not an error, and the
 * request is answered as if it had not been sent. Source: OpenTelemetry logs data model, "SeverityNumber"; the
 * Collector's filter processor for the semantics (patterns are searched, not anchored: use ^ and $).
 */
public final class DropRule extends RecordRule {

    private int severityBelow;
    private Pattern name;
    private String attribute;
    private String resourceAttribute;
    private Pattern matches;

    public void setSeverityBelow(String severity) {
        this.severityBelow = severityNumber(severity);
    }

    public void setName(String pattern) {
        this.name = pattern("name", pattern);
    }

    public void setAttribute(String key) {
        this.attribute = key(key, "attribute");
    }

    public void setResourceAttribute(String key) {
        this.resourceAttribute = key(key, "resourceAttribute");
    }

    public void setMatches(String pattern) {
        this.matches = pattern("matches", pattern);
    }

    @Override
    void check() {
        if (severityBelow == 0 && name == null && attribute == null && resourceAttribute == null) {
            throw new IllegalArgumentException("drop rule " + name() + ": no condition (set severityBelow, name, "
                    + "attribute or resourceAttribute); a rule without one would drop everything");
        }
        if (matches != null && attribute == null && resourceAttribute == null) {
            throw new IllegalArgumentException("drop rule " + name() + ": matches needs attribute or resourceAttribute");
        }
        if (attribute != null && resourceAttribute != null) {
            throw new IllegalArgumentException("drop rule " + name() + ": set attribute or resourceAttribute, not both");
        }
    }

    /** Whether {@code item} is left out. */
    boolean drops(RecordView item) {
        if (!appliesTo(item.signal())) {
            return false;
        }
        if (severityBelow > 0) {
            int s = item.severity();
            if (s == 0 || s >= severityBelow) {
                return false;
            }
        }
        if (name != null) {
            String n = item.name();
            if (n == null || !name.matcher(n).find()) {
                return false;
            }
        }
        if (attribute != null || resourceAttribute != null) {
            String value = attribute != null ? item.attribute(attribute) : item.resource(resourceAttribute);
            if (value == null || (matches != null && !matches.matcher(value).find())) {
                return false;
            }
        }
        return true;
    }

    /**
     * An OTLP severity number from a name (TRACE=1, DEBUG=5, INFO=9, WARN=13, ERROR=17, FATAL=21) or a number
     * 1–24.
     *
     * @throws IllegalArgumentException for anything else
     */
    static int severityNumber(String severity) {
        String s = severity == null ? "" : severity.trim().toUpperCase(Locale.ROOT);
        switch (s) {
            case "TRACE": return 1;
            case "DEBUG": return 5;
            case "INFO": return 9;
            case "WARN": case "WARNING": return 13;
            case "ERROR": return 17;
            case "FATAL": return 21;
            default:
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 24) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("severityBelow '" + severity
                + "': expected TRACE, DEBUG, INFO, WARN, ERROR, FATAL or a severity number 1-24");
    }

    static Pattern pattern(String property, String pattern) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException | NullPointerException e) {
            throw new IllegalArgumentException(property + " '" + pattern + "' is not an RE2 pattern: "
                    + e.getMessage());
        }
    }

    static String key(String key, String property) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(property + ": empty attribute key");
        }
        return key.trim();
    }
}
