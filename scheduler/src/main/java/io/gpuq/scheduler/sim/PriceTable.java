package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.sim.scenario.PriceSpec;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** GPU-hour prices by GPU model and capacity type, in one currency. */
public final class PriceTable {
    static final String DEFAULT_CURRENCY = "USD";

    private final Map<String, BigDecimal> prices = new HashMap<>();
    private final String currency;

    public PriceTable(List<PriceSpec> specs) {
        String cur = null;
        for (PriceSpec p : specs) {
            prices.put(key(p.gpuModel(), p.capacityType()), p.perGpuHour());
            cur = p.currency();
        }
        this.currency = cur == null ? DEFAULT_CURRENCY : cur;
    }

    /** The price of one GPU-hour, or null when the table has none for this pair. */
    public BigDecimal perGpuHour(String gpuModel, String capacityType) {
        return prices.get(key(gpuModel, capacityType));
    }

    public String currency() {
        return currency;
    }

    private static String key(String model, String capacityType) {
        return model + "\u0000" + capacityType;
    }
}
