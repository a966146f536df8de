package io.telemetrybridge.rules;

import io.telemetrybridge.model.Signal;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A rule declared as a bean in a route file ({@code - beans:} with {@code type} and {@code properties}) and put
 * to work by a step of the route: {@code - process: {ref: <name>}} before the route's read step. The read step
 * then applies every rule its exchange uses, in step order, to each item it decodes (docs/routing.md). A property
 * that does not parse throws when the bean is configured, and properties that do not go together throw when the
 * route using the rule starts: either way the route file is refused at start-up or on reload, and the routes of
 * before keep running.
 */
public abstract class RecordRule extends ServiceSupport implements Processor, CamelContextAware {

    private CamelContext context;
    private volatile String name;
    private Signal signal;

    /** Route step: the read step of this exchange applies this rule. */
    @Override
    public void process(Exchange exchange) {
        RuleSet.of(exchange).add(this, exchange);
    }

    /** Started with the route that uses the rule: a rule whose properties do not go together stops it there. */
    @Override
    protected void doStart() {
        check();
    }

    /** Restricts the rule to one signal ({@code traces}, {@code metrics}, {@code logs}); default: all. */
    public void setSignal(String signal) {
        this.signal = Signal.of(signal.trim().toLowerCase(Locale.ROOT));
    }

    /** Whether the rule applies to items of {@code s}. */
    boolean appliesTo(Signal s) {
        return signal == null || signal == s;
    }

    /**
     * Checks the properties together (each setter checks its own value).
     *
     * @throws IllegalArgumentException naming the property and what is wrong
     */
    abstract void check();

    /** The bean's name in the registry (the {@code rule} tag of its meters). */
    public String name() {
        String n = name;
        if (n == null && context != null) {
            for (Map.Entry<String, RecordRule> e : context.getRegistry().findByTypeWithName(RecordRule.class)
                    .entrySet()) {
                if (e.getValue() == this) {
                    n = e.getKey();
                }
            }
            name = n;
        }
        return n == null ? getClass().getSimpleName() : n;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }
}
