package io.gpuq.scheduler.cost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code prices.yaml} document:
 * <pre>
 * currency: USD                # optional, default USD
 * prices:
 *   - {gpuModel: H100, capacityType: spot, perGpuHour: 1.69}
 * nodeOverrides:               # optional
 *   - {selector: {node.kubernetes.io/instance-type: p5.48xlarge}, perGpuHour: 3.10}
 * </pre>
 * Every problem is reported, each with where it is and what is allowed; unknown keys are errors, so a
 * misspelt key cannot silently leave a price out.
 */
public final class PriceTableParser {

    static final List<String> ROOT_KEYS = List.of("currency", "prices", "nodeOverrides");
    static final List<String> PRICE_KEYS = List.of("gpuModel", "capacityType", "perGpuHour");
    static final List<String> OVERRIDE_KEYS = List.of("selector", "perGpuHour");
    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PriceTableParser() {
    }

    /**
     * @param source names the document in error messages, e.g. {@code ConfigMap runai/gpuq-prices key prices.yaml}
     */
    public static PriceTable parse(String document, String source) throws PriceTableException {
        JsonNode root;
        try {
            root = document == null ? null : YAML.readTree(document);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new PriceTableException(source, List.of("not valid YAML" + where + ": " + e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new PriceTableException(source, List.of("the document is empty; expected keys " + ROOT_KEYS));
        }
        if (!root.isObject()) {
            throw new PriceTableException(source, List.of("the document is " + aKind(root)
                    + "; expected a mapping with keys " + ROOT_KEYS));
        }
        List<String> errors = new ArrayList<>();
        unknownKeys(root, ROOT_KEYS, "", errors);
        String currency = currency(root.get("currency"), errors);
        List<ModelPrice> prices = prices(root.get("prices"), errors);
        List<NodeOverride> overrides = overrides(root.get("nodeOverrides"), errors);
        if (errors.isEmpty() && prices.isEmpty() && overrides.isEmpty()) {
            errors.add("prices: no price is given; list at least one {gpuModel, capacityType, perGpuHour} "
                    + "or a nodeOverrides entry");
        }
        if (!errors.isEmpty()) {
            throw new PriceTableException(source, errors);
        }
        return new PriceTable(currency, prices, overrides);
    }

    private static String currency(JsonNode node, List<String> errors) {
        if (node == null || node.isNull()) {
            return PriceTable.DEFAULT_CURRENCY;
        }
        String text = node.isTextual() ? node.asText().trim() : node.toString();
        if (!node.isTextual() || !CURRENCY.matcher(text).matches()) {
            errors.add("currency: '" + text + "' is not a currency code; use a three-letter ISO 4217 code such as "
                    + "USD or EUR");
            return PriceTable.DEFAULT_CURRENCY;
        }
        return text.toUpperCase(Locale.ROOT);
    }

    private static List<ModelPrice> prices(JsonNode node, List<String> errors) {
        List<ModelPrice> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            errors.add("prices: is " + aKind(node) + "; expected a list of {gpuModel, capacityType, perGpuHour}");
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "prices[" + i + "]";
            JsonNode item = node.get(i);
            if (!item.isObject()) {
                errors.add(at + ": is " + aKind(item) + "; expected a mapping {gpuModel, capacityType, perGpuHour}");
                continue;
            }
            int before = errors.size();
            unknownKeys(item, PRICE_KEYS, at + ".", errors);
            String model = text(item.get("gpuModel"));
            if (model == null || model.isBlank()) {
                errors.add(at + ".gpuModel: missing; name the GPU model as nodes report it, e.g. H100 or "
                        + "NVIDIA-H100-80GB-HBM3");
            }
            String capacity = CapacityTypes.ON_DEMAND;
            JsonNode capacityNode = item.get("capacityType");
            if (capacityNode != null && !capacityNode.isNull()) {
                String given = text(capacityNode);
                capacity = CapacityTypes.normalize(given);
                if (given == null || !CapacityTypes.ALL.contains(capacity)) {
                    errors.add(at + ".capacityType: '" + (given == null ? capacityNode : given)
                            + "' is not a capacity type; allowed: " + String.join(", ", CapacityTypes.ALL));
                }
            }
            BigDecimal price = price(item.get("perGpuHour"), at + ".perGpuHour", errors);
            if (errors.size() > before) {
                continue;
            }
            String model0 = model.trim();
            if (!seen.add(model0.toLowerCase(Locale.ROOT) + "\u0000" + capacity)) {
                errors.add(at + ": a second price for " + model0 + " " + capacity
                        + "; list each gpuModel and capacityType pair once");
                continue;
            }
            out.add(new ModelPrice(model0, capacity, price));
        }
        return out;
    }

    private static List<NodeOverride> overrides(JsonNode node, List<String> errors) {
        List<NodeOverride> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            errors.add("nodeOverrides: is " + aKind(node) + "; expected a list of {selector, perGpuHour}");
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            String at = "nodeOverrides[" + i + "]";
            JsonNode item = node.get(i);
            if (!item.isObject()) {
                errors.add(at + ": is " + aKind(item) + "; expected a mapping {selector, perGpuHour}");
                continue;
            }
            int before = errors.size();
            unknownKeys(item, OVERRIDE_KEYS, at + ".", errors);
            Map<String, String> selector = new LinkedHashMap<>();
            JsonNode sel = item.get("selector");
            if (sel == null || !sel.isObject() || sel.isEmpty()) {
                errors.add(at + ".selector: " + (sel == null ? "missing" : "is " + describe(sel))
                        + "; expected node labels that must all match, e.g. {node.kubernetes.io/instance-type: "
                        + "p5.48xlarge}");
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = sel.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                        errors.add(at + ".selector." + e.getKey() + ": is " + describe(e.getValue())
                                + "; a label value is a string");
                    } else {
                        selector.put(e.getKey(), e.getValue().asText());
                    }
                }
            }
            BigDecimal price = price(item.get("perGpuHour"), at + ".perGpuHour", errors);
            if (errors.size() == before) {
                out.add(new NodeOverride(selector, price));
            }
        }
        return out;
    }

    private static BigDecimal price(JsonNode node, String at, List<String> errors) {
        if (node == null || node.isNull()) {
            errors.add(at + ": missing; give the price of one GPU-hour, e.g. 1.69");
            return null;
        }
        if (!node.isNumber()) {
            errors.add(at + ": '" + node.asText() + "' is not a number; give the price of one GPU-hour, e.g. 1.69");
            return null;
        }
        BigDecimal price = node.decimalValue();
        if (price.signum() < 0) {
            errors.add(at + ": " + price.toPlainString() + " is negative; a price must be >= 0");
            return null;
        }
        return price;
    }

    private static void unknownKeys(JsonNode object, List<String> allowed, String prefix, List<String> errors) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                errors.add(prefix + key + ": unknown key; allowed: " + String.join(", ", allowed));
            }
        }
    }

    private static String text(JsonNode node) {
        return node == null || !node.isValueNode() || node.isNull() ? null : node.asText();
    }

    private static String describe(JsonNode node) {
        return node.isValueNode() ? "'" + node.asText() + "'" : aKind(node);
    }

    private static String aKind(JsonNode node) {
        String k = kind(node);
        return (k.startsWith("e") ? "an " : "a ") + k;
    }

    private static String kind(JsonNode node) {
        if (node.isArray()) {
            return "list";
        }
        if (node.isObject()) {
            return node.isEmpty() ? "empty mapping" : "mapping";
        }
        return "scalar '" + node.asText() + "'";
    }
}
