package io.telemetrybridge.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where each record goes and under which key, and which request headers it carries:
 * <ul>
 *   <li>{@code topic}: a {@link Template} (e.g. {@code telemetry.{tenant}.{signal}}); characters outside Kafka's
 *       topic alphabet ({@code [a-zA-Z0-9._-]}) become {@code _}; at most 249 characters. Default: the route's
 *       endpoint topic.</li>
 *   <li>{@code key}: a {@link Template} (e.g. {@code {resource.service.name}}); empty means no key. Default: the
 *       bridge's keys (docs/kafka-records.md). Records of one key keep their order; records of different keys
 *       may be reordered.</li>
 *   <li>{@code fallback}: the value of an absent variable that has no {@code |fallback} of its own (default
 *       {@code unknown}).</li>
 *   <li>{@code maxTopics}: how many distinct topics this template may produce (default 100); records for a
 *       further topic are refused into the dead-letter queue.</li>
 *   <li>{@code missingTopics}: {@code create} (default; with the signal's topic settings) or
 *       {@code dead-letter}.</li>
 *   <li>{@code headers}: request headers (HTTP) or metadata keys (gRPC) copied into every record's Kafka
 *       headers, comma-separated, matched in any case; all other request headers are still left out.</li>
 * </ul>
 * The last routing step of a route wins.
 */
public final class RecordRouting extends RecordRule {

    /** Headers that hold credentials: never copied to Kafka. */
    private static final Set<String> SECRET = Set.of("authorization", "x-api-key", "proxy-authorization", "cookie");
    /** Prefixes of the bridge's own record headers and of Camel's and camel-kafka's control headers. */
    private static final List<String> RESERVED = List.of("telemetry.", "kafka.", "camel", "content-type");

    private Template topic;
    private Template key;
    private String fallback = "unknown";
    private int maxTopics = 100;
    private boolean createMissing = true;
    private List<String> headers = List.of();

    public void setTopic(String template) {
        this.topic = Template.parse(template);
    }

    /** @param template the key template; empty for records without a key */
    public void setKey(String template) {
        this.key = template == null || template.isEmpty() ? Template.empty() : Template.parse(template);
    }

    public void setFallback(String fallback) {
        this.fallback = fallback == null ? "" : fallback;
    }

    public void setMaxTopics(int maxTopics) {
        if (maxTopics < 1) {
            throw new IllegalArgumentException("maxTopics " + maxTopics + ": at least 1");
        }
        this.maxTopics = maxTopics;
    }

    public void setMissingTopics(String policy) {
        switch (policy == null ? "" : policy.trim().toLowerCase(Locale.ROOT)) {
            case "create" -> createMissing = true;
            case "dead-letter" -> createMissing = false;
            default -> throw new IllegalArgumentException("missingTopics '" + policy
                    + "': expected create or dead-letter");
        }
    }

    public void setHeaders(String names) {
        List<String> list = new ArrayList<>();
        for (String n : names.split(",")) {
            String h = n.trim().toLowerCase(Locale.ROOT);
            if (h.isEmpty()) {
                continue;
            }
            if (SECRET.contains(h)) {
                throw new IllegalArgumentException("headers: '" + h + "' holds credentials and is never copied");
            }
            for (String r : RESERVED) {
                if (h.startsWith(r)) {
                    throw new IllegalArgumentException("headers: '" + h + "' is a header only the bridge writes ("
                            + String.join(", ", RESERVED) + "...)");
                }
            }
            list.add(h);
        }
        this.headers = List.copyOf(list);
    }

    @Override
    void check() {
        if (topic == null && key == null && headers.isEmpty()) {
            throw new IllegalArgumentException("routing " + name() + ": set topic, key or headers");
        }
    }

    /** The topic of {@code item}, made a valid Kafka topic name; null when the route's own topic is kept. */
    String topic(RecordView item) {
        if (topic == null) {
            return null;
        }
        return topicName(topic.apply(item, fallback));
    }

    /** The key of {@code item}; null when the bridge's own key is kept, empty for no key. */
    String key(RecordView item) {
        return key == null ? null : key.apply(item, fallback);
    }

    boolean routesTopic() {
        return topic != null;
    }

    boolean keys() {
        return key != null;
    }

    /** Whether topic or key can differ between items of one resource. */
    boolean perItem() {
        return (topic != null && topic.perItem()) || (key != null && key.perItem());
    }

    /** For the topic check ({@code RoutedTopics}). */
    public String template() {
        return topic == null ? null : topic.toString();
    }

    /** For the topic check ({@code RoutedTopics}). */
    public int maxTopics() {
        return maxTopics;
    }

    /** For the topic check ({@code RoutedTopics}). */
    public boolean createMissing() {
        return createMissing;
    }

    List<String> headers() {
        return headers;
    }

    /** {@code raw} with every character outside {@code [a-zA-Z0-9._-]} as {@code _}, cut to 249 characters. */
    static String topicName(String raw) {
        StringBuilder sb = new StringBuilder(Math.min(raw.length(), 249));
        for (int i = 0; i < raw.length() && sb.length() < 249; i++) {
            char c = raw.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            sb.append(ok ? c : '_');
        }
        String name = sb.toString();
        // "." and ".." are not topic names.
        return name.isEmpty() || name.equals(".") || name.equals("..") ? "_" + name : name;
    }
}
