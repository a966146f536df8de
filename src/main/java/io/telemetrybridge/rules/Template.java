package io.telemetrybridge.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A topic or key template: literal text with {@code {variable}} or {@code {variable|fallback}} parts. Variables:
 * {@code signal}, {@code tenant}, {@code scope.name}, {@code name}, {@code resource.<key>} and
 * {@code attributes.<key>} (the item's own attribute). An absent value takes the part's fallback, else the
 * template's. Parsed once, when the rule bean is configured.
 */
public final class Template {

    /** What a variable reads; how often the template's value can change within one resource. */
    enum Reach { REQUEST, RESOURCE, ITEM }

    private interface Part {
        String value(RecordView view, String fallback);
    }

    private final String text;
    private final List<Part> parts;
    private final Reach reach;

    private Template(String text, List<Part> parts, Reach reach) {
        this.text = text;
        this.parts = parts;
        this.reach = reach;
    }

    /** The template whose value is always empty (a key template for no key). */
    static Template empty() {
        return new Template("", List.of(), Reach.REQUEST);
    }

    /**
     * @throws IllegalArgumentException for an empty template, an unclosed or empty {@code {}}, or an unknown
     *                                  variable (the message names it and lists the known ones)
     */
    public static Template parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty template");
        }
        List<Part> parts = new ArrayList<>();
        Reach reach = Reach.REQUEST;
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf('{', i);
            if (open < 0) {
                String literal = text.substring(i);
                parts.add((v, f) -> literal);
                break;
            }
            if (open > i) {
                String literal = text.substring(i, open);
                parts.add((v, f) -> literal);
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("template '" + text + "': '{' at " + open + " is not closed");
            }
            String spec = text.substring(open + 1, close);
            int bar = spec.indexOf('|');
            String variable = (bar < 0 ? spec : spec.substring(0, bar)).trim();
            String own = bar < 0 ? null : spec.substring(bar + 1);
            Variable var = variable(text, variable);
            parts.add((v, f) -> {
                String value = var.read(v);
                return value == null || value.isEmpty() ? (own != null ? own : f) : value;
            });
            if (var.reach().ordinal() > reach.ordinal()) {
                reach = var.reach();
            }
            i = close + 1;
        }
        return new Template(text, List.copyOf(parts), reach);
    }

    private record Variable(Reach reach, java.util.function.Function<RecordView, String> reader) {
        String read(RecordView v) {
            return reader.apply(v);
        }
    }

    private static final Set<String> SIMPLE = Set.of("signal", "tenant", "scope.name", "name");

    private static Variable variable(String text, String name) {
        if (name.startsWith("resource.") && name.length() > 9) {
            String key = name.substring(9);
            return new Variable(Reach.RESOURCE, v -> v.resource(key));
        }
        if (name.startsWith("attributes.") && name.length() > 11) {
            String key = name.substring(11);
            return new Variable(Reach.ITEM, v -> v.attribute(key));
        }
        return switch (name) {
            case "signal" -> new Variable(Reach.REQUEST, v -> v.signal().id());
            case "tenant" -> new Variable(Reach.REQUEST, RecordView::tenant);
            case "scope.name" -> new Variable(Reach.ITEM, RecordView::scope);
            case "name" -> new Variable(Reach.ITEM, RecordView::name);
            default -> throw new IllegalArgumentException("template '" + text + "': unknown variable '{" + name
                    + "}'; known: " + String.join(", ", SIMPLE.stream().sorted().toList())
                    + ", resource.<key>, attributes.<key>");
        };
    }

    /** The template's value for one item; absent variables take {@code fallback} unless the part has its own. */
    public String apply(RecordView view, String fallback) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            String s = p.value(view, fallback);
            if (s != null) {
                out.append(s);
            }
        }
        return out.toString();
    }

    /** Whether the value depends on the item (not only on its request and resource). */
    boolean perItem() {
        return reach == Reach.ITEM;
    }

    @Override
    public String toString() {
        return text;
    }
}
