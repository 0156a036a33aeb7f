package io.gpuq.scheduler.cost;

import io.gpuq.scheduler.engine.model.GpuNode;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * GPU-hour prices per GPU model × capacity type, in one currency, with node-label overrides. Immutable.
 *
 * <p>A node's price: the first override whose selector matches the node's labels; otherwise the price of
 * the node's GPU model and capacity type. The node's model (from NFD's {@code nvidia.com/gpu.product},
 * e.g. {@code NVIDIA-H100-80GB-HBM3}, or a short name such as {@code H100}) matches a table model when
 * they are equal, otherwise when the table model's {@code -}-separated tokens appear consecutively among
 * the product's tokens, ignoring case ({@code H100} and {@code H100-80GB} both match the product above;
 * the longer one wins).
 */
public record PriceTable(String currency, List<ModelPrice> prices, List<NodeOverride> overrides) {

    public static final String DEFAULT_CURRENCY = "USD";

    public PriceTable {
        Objects.requireNonNull(currency, "currency");
        prices = List.copyOf(prices);
        overrides = List.copyOf(overrides);
    }

    /**
     * The prices in force when no table is configured: the seed's H100 figures, USD 1.69 per GPU-hour
     * spot and 4.00 on-demand.
     */
    public static PriceTable defaults() {
        return new PriceTable(DEFAULT_CURRENCY, List.of(
                new ModelPrice("H100", CapacityTypes.SPOT, new BigDecimal("1.69")),
                new ModelPrice("H100", CapacityTypes.ON_DEMAND, new BigDecimal("4.00"))), List.of());
    }

    /** The price of one GPU of this node per hour. */
    public NodePrice priceOf(GpuNode node) {
        String capacityType = CapacityTypes.normalize(node.capacityType());
        String model = tableModelFor(node.gpuModel());
        String label = model != null ? model : (node.gpuModel().isEmpty() ? "unknown" : node.gpuModel());
        for (NodeOverride o : overrides) {
            if (o.matches(node.labels())) {
                return new NodePrice(label, capacityType, o.perGpuHour(), true);
            }
        }
        if (model != null) {
            for (ModelPrice p : prices) {
                if (p.gpuModel().equals(model) && p.capacityType().equals(capacityType)) {
                    return new NodePrice(label, capacityType, p.perGpuHour(), true);
                }
            }
        }
        return new NodePrice(label, capacityType, BigDecimal.ZERO, false);
    }

    /** The table's model name for a node's GPU model, or null when the table has none that matches. */
    public String tableModelFor(String nodeModel) {
        if (nodeModel == null || nodeModel.isEmpty()) {
            return null;
        }
        for (ModelPrice p : prices) {
            if (p.gpuModel().equals(nodeModel)) {
                return p.gpuModel();
            }
        }
        String[] product = nodeModel.toLowerCase(Locale.ROOT).split("-");
        String best = null;
        int bestTokens = 0;
        for (ModelPrice p : prices) {
            String[] wanted = p.gpuModel().toLowerCase(Locale.ROOT).split("-");
            if (wanted.length > bestTokens && containsRun(product, wanted)) {
                best = p.gpuModel();
                bestTokens = wanted.length;
            }
        }
        return best;
    }

    private static boolean containsRun(String[] haystack, String[] run) {
        for (int start = 0; start + run.length <= haystack.length; start++) {
            boolean all = true;
            for (int i = 0; i < run.length && all; i++) {
                all = haystack[start + i].equals(run[i]);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** One line for logs: currency, each price and the number of overrides. */
    public String summary() {
        String list = prices.stream()
                .map(p -> p.gpuModel() + " " + p.capacityType() + " " + p.perGpuHour().toPlainString())
                .collect(Collectors.joining(", "));
        return currency + " per GPU-hour: " + (list.isEmpty() ? "no model prices" : list)
                + (overrides.isEmpty() ? "" : "; " + overrides.size() + " node override(s)");
    }
}
