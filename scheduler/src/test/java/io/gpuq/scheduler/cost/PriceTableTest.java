package io.gpuq.scheduler.cost;

import io.gpuq.scheduler.engine.model.GpuNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static io.gpuq.scheduler.metrics.testing.Allocations.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading the prices.yaml document and pricing nodes by model, capacity type and labels. */
class PriceTableTest {

    private static PriceTable parse(String yaml) throws PriceTableException {
        return PriceTableParser.parse(yaml, "test prices.yaml");
    }

    @Test
    void theDocumentedFormatParses() throws Exception {
        PriceTable t = parse("""
                currency: USD
                prices:
                  - {gpuModel: H100, capacityType: spot, perGpuHour: 1.69}
                  - {gpuModel: H100, capacityType: on-demand, perGpuHour: 4.00}
                  - {gpuModel: A100-80GB, capacityType: reserved, perGpuHour: 1.10}
                nodeOverrides:
                  - {selector: {node.kubernetes.io/instance-type: p5.48xlarge}, perGpuHour: 3.10}
                """);
        assertThat(t.currency()).isEqualTo("USD");
        assertThat(t.prices()).containsExactly(
                new ModelPrice("H100", "spot", new BigDecimal("1.69")),
                new ModelPrice("H100", "on-demand", new BigDecimal("4.0")),
                new ModelPrice("A100-80GB", "reserved", new BigDecimal("1.1")));
        assertThat(t.overrides()).containsExactly(new NodeOverride(
                Map.of("node.kubernetes.io/instance-type", "p5.48xlarge"), new BigDecimal("3.1")));
        assertThat(parse("prices: [{gpuModel: H100, perGpuHour: 2}]").prices().get(0).capacityType())
                .as("capacityType defaults to on-demand").isEqualTo("on-demand");
        assertThat(parse("currency: eur\nprices: [{gpuModel: H100, perGpuHour: 2}]").currency()).isEqualTo("EUR");
    }

    @Test
    void everyProblemIsReportedWithItsPlaceAndWhatIsAllowed() {
        assertThatThrownBy(() -> parse("""
                currency: US Dollar
                prices:
                  - {gpuModel: H100, capacityType: preemptible, perGpuHour: 1.69}
                  - {gpuModel: H100, perGpuHr: 4}
                  - {capacityType: spot, perGpuHour: -1}
                  - {gpuModel: A100, perGpuHour: "cheap"}
                  - {gpuModel: h100, capacityType: on_demand, perGpuHour: 4}
                  - {gpuModel: H100, capacityType: on-demand, perGpuHour: 5}
                nodeOverrides:
                  - {selector: {}, perGpuHour: 3}
                extra: 1
                """))
                .isInstanceOfSatisfying(PriceTableException.class, e -> assertThat(e.errors()).containsExactly(
                        "extra: unknown key; allowed: currency, prices, nodeOverrides",
                        "currency: 'US Dollar' is not a currency code; use a three-letter ISO 4217 code such as USD "
                                + "or EUR",
                        "prices[0].capacityType: 'preemptible' is not a capacity type; allowed: spot, on-demand, "
                                + "reserved",
                        "prices[1].perGpuHr: unknown key; allowed: gpuModel, capacityType, perGpuHour",
                        "prices[1].perGpuHour: missing; give the price of one GPU-hour, e.g. 1.69",
                        "prices[2].gpuModel: missing; name the GPU model as nodes report it, e.g. H100 or "
                                + "NVIDIA-H100-80GB-HBM3",
                        "prices[2].perGpuHour: -1 is negative; a price must be >= 0",
                        "prices[3].perGpuHour: 'cheap' is not a number; give the price of one GPU-hour, e.g. 1.69",
                        "prices[5]: a second price for H100 on-demand; list each gpuModel and capacityType pair once",
                        "nodeOverrides[0].selector: is an empty mapping; expected node labels that must all match, "
                                + "e.g. {node.kubernetes.io/instance-type: p5.48xlarge}"));
        assertThatThrownBy(() -> parse("prices: [{gpuModel: H100, perGpuHour: 1}"))
                .isInstanceOf(PriceTableException.class).hasMessageStartingWith("test prices.yaml: not valid YAML at line");
        assertThatThrownBy(() -> parse("")).hasMessage("test prices.yaml: the document is empty; expected keys "
                + "[currency, prices, nodeOverrides]");
        assertThatThrownBy(() -> parse("- H100")).hasMessageContaining("the document is a list; expected a mapping");
        assertThatThrownBy(() -> parse("currency: USD")).hasMessageContaining("prices: no price is given");
    }

    @Test
    void nodesArePricedByExactModelThenByProductTokens() {
        PriceTable t = new PriceTable("USD", List.of(
                new ModelPrice("H100", "spot", new BigDecimal("1.69")),
                new ModelPrice("H100", "on-demand", new BigDecimal("4.00")),
                new ModelPrice("A100", "on-demand", new BigDecimal("2.00")),
                new ModelPrice("A100-80GB", "on-demand", new BigDecimal("2.50")),
                new ModelPrice("NVIDIA-L4", "on-demand", new BigDecimal("0.80"))), List.of());
        assertThat(t.priceOf(node("a", "p", "H100", "spot", 8, Map.of())))
                .isEqualTo(new NodePrice("H100", "spot", new BigDecimal("1.69"), true));
        assertThat(t.priceOf(node("b", "p", "NVIDIA-H100-80GB-HBM3", "", 8, Map.of())))
                .as("NFD product name, no capacity type: on-demand")
                .isEqualTo(new NodePrice("H100", "on-demand", new BigDecimal("4.00"), true));
        assertThat(t.priceOf(node("c", "p", "NVIDIA-A100-SXM4-80GB", "on-demand", 8, Map.of())).perGpuHour())
                .as("A100-80GB's tokens are not consecutive in this product, A100 matches").isEqualByComparingTo("2.00");
        assertThat(t.priceOf(node("d", "p", "nvidia-a100-80gb-pcie", "on-demand", 8, Map.of())).gpuModel())
                .as("the longest matching table model wins, case ignored").isEqualTo("A100-80GB");
        assertThat(t.priceOf(node("e", "p", "NVIDIA-L4", "on-demand", 1, Map.of())).perGpuHour())
                .isEqualByComparingTo("0.80");
        assertThat(t.priceOf(node("f", "p", "NVIDIA-H100-80GB-HBM3", "reserved", 8, Map.of())))
                .as("a known model without a price for the capacity type")
                .isEqualTo(new NodePrice("H100", "reserved", BigDecimal.ZERO, false));
        assertThat(t.priceOf(node("g", "p", "Tesla-T4", "spot", 1, Map.of())))
                .isEqualTo(new NodePrice("Tesla-T4", "spot", BigDecimal.ZERO, false));
        assertThat(t.priceOf(node("h", "p", "H1000", "spot", 1, Map.of())).priced())
                .as("tokens match whole, never as substrings").isFalse();
    }

    @Test
    void theFirstMatchingOverrideWinsOverModelPrices() {
        PriceTable t = new PriceTable("USD", List.of(new ModelPrice("H100", "on-demand", new BigDecimal("4.00"))),
                List.of(new NodeOverride(Map.of("node.kubernetes.io/instance-type", "p5.48xlarge",
                                "topology.kubernetes.io/region", "us-east-1"), new BigDecimal("3.10")),
                        new NodeOverride(Map.of("node.kubernetes.io/instance-type", "p5.48xlarge"), new BigDecimal("3.50"))));
        GpuNode east = node("e", "p", "NVIDIA-H100-80GB-HBM3", "on-demand", 8,
                Map.of("node.kubernetes.io/instance-type", "p5.48xlarge", "topology.kubernetes.io/region", "us-east-1"));
        GpuNode west = node("w", "p", "NVIDIA-H100-80GB-HBM3", "on-demand", 8,
                Map.of("node.kubernetes.io/instance-type", "p5.48xlarge", "topology.kubernetes.io/region", "us-west-2"));
        GpuNode other = node("o", "p", "NVIDIA-H100-80GB-HBM3", "on-demand", 8, Map.of());
        assertThat(t.priceOf(east).perGpuHour()).isEqualByComparingTo("3.10");
        assertThat(t.priceOf(west).perGpuHour()).isEqualByComparingTo("3.50");
        assertThat(t.priceOf(other).perGpuHour()).isEqualByComparingTo("4.00");
        assertThat(t.priceOf(east).gpuModel()).isEqualTo("H100");
    }

    @Test
    void theDefaultsAreTheSeedsH100Prices() {
        PriceTable d = PriceTable.defaults();
        assertThat(d.currency()).isEqualTo("USD");
        assertThat(d.priceOf(node("s", "p", "H100", "spot", 8, Map.of())).perGpuHour()).isEqualByComparingTo("1.69");
        assertThat(d.priceOf(node("o", "p", "H100", "on-demand", 8, Map.of())).perGpuHour()).isEqualByComparingTo("4.00");
        assertThat(d.summary()).isEqualTo("USD per GPU-hour: H100 spot 1.69, H100 on-demand 4.00");
    }
}
