package io.mehery.gateway.console;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.search.Search;

/** What the console reads of a gauge: its value, or 0 where the gauge is not registered yet or has nothing to say. */
final class Gauges {

    private Gauges() {
    }

    static double valueOf(Search found) {
        Gauge gauge = found.gauge();
        return gauge == null || Double.isNaN(gauge.value()) ? 0 : gauge.value();
    }
}
