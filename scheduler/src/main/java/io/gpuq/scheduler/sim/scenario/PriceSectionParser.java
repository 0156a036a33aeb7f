package io.gpuq.scheduler.sim.scenario;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads {@code prices[]}: one price per GPU model and capacity type, all in one currency. */
final class PriceSectionParser {
    static final List<String> KEYS = List.of("gpuModel", "capacityType", "perGpuHour", "currency");
    static final String DEFAULT_CURRENCY = "USD";

    private final String source;

    PriceSectionParser(String source) {
        this.source = source;
    }

    List<PriceSpec> parse(Fields root) {
        List<PriceSpec> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String currency = null;
        for (YamlNode item : root.list("prices")) {
            Fields f = Fields.of(source, item, KEYS);
            String model = f.requiredString("gpuModel", "the GPU model this price is for, as in nodes[].gpuModel");
            String capacity = f.optionalString("capacityType", NodeSectionParser.DEFAULT_CAPACITY_TYPE);
            BigDecimal price = f.requiredNumber("perGpuHour", "the price of one GPU-hour, e.g. 1.69");
            if (price.signum() < 0) {
                throw f.error("perGpuHour", price.toPlainString() + " is negative; a price must be >= 0");
            }
            String cur = f.optionalString("currency", DEFAULT_CURRENCY);
            if (currency != null && !currency.equals(cur)) {
                throw f.error("currency", "'" + cur + "' differs from the earlier prices' '" + currency
                        + "'; all prices of a scenario must use one currency");
            }
            currency = cur;
            if (!seen.add(model + "\u0000" + capacity)) {
                throw f.error("gpuModel", "a second price for " + model + " " + capacity
                        + "; list each gpuModel and capacityType pair once");
            }
            out.add(new PriceSpec(model, capacity, price, cur));
        }
        return out;
    }
}
