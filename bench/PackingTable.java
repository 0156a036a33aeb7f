import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpuq.scheduler.packing.PublishedResults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Renders bench/packing.sh's results as a Markdown table next to the FGD authors' published figures.
 * Run with the gpuq jar on the class path:
 * {@code java -cp gpuq.jar bench/PackingTable.java PUBLISHED.csv SEEDS RESULTS_DIR VARIANT...}.
 */
public final class PackingTable {
    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: PackingTable PUBLISHED.csv SEEDS RESULTS_DIR VARIANT...");
            System.exit(2);
        }
        Path publishedCsv = Path.of(args[0]);
        PublishedResults published = Files.isRegularFile(publishedCsv) ? PublishedResults.read(publishedCsv) : null;
        Path results = Path.of(args[2]);
        ObjectMapper json = new ObjectMapper();

        StringBuilder md = new StringBuilder();
        md.append("# Packing benchmark: Alibaba GPU trace (cluster-trace-gpu-v2023)\n\n");
        md.append("Unallocated GPU share (% of the 6,212 GPUs) when the arrived GPU request reaches 100% of ")
                .append("capacity; median over seeds ").append(args[1]).append(". Lower is better. ")
                .append("Published: the FGD authors' results (median of their ten seeds). ")
                .append("Protocol: DESIGN §8.\n\n");
        md.append("| variant | ours: default | ours: binpack | ours: spread | published FGD | published BestFit | default − FGD |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        int atOrBelow = 0;
        int compared = 0;
        double sumOurs = 0;
        double sumFgd = 0;
        for (int i = 3; i < args.length; i++) {
            String variant = args[i];
            JsonNode doc = json.readTree(results.resolve(variant + ".json").toFile());
            double def = figure(doc, "default");
            double fgd = published == null ? Double.NaN : published.unallocatedAt100("openb_pod_list_" + variant, "FGD");
            double bestFit = published == null ? Double.NaN : published.unallocatedAt100("openb_pod_list_" + variant, "BestFit");
            md.append("| ").append(variant)
                    .append(" | **").append(fmt(def)).append("**")
                    .append(" | ").append(fmt(figure(doc, "binpack")))
                    .append(" | ").append(fmt(figure(doc, "spread")))
                    .append(" | ").append(fmt(fgd))
                    .append(" | ").append(fmt(bestFit))
                    .append(" | ").append(Double.isNaN(fgd) ? "n/a" : String.format(Locale.ROOT, "%+.2f", def - fgd))
                    .append(" |\n");
            if (!Double.isNaN(fgd) && !Double.isNaN(def)) {
                compared++;
                sumOurs += def;
                sumFgd += fgd;
                if (def <= fgd) {
                    atOrBelow++;
                }
            }
        }
        md.append('\n');
        if (compared > 0) {
            md.append(String.format(Locale.ROOT,
                    "Default at or below published FGD on %d of %d variants; mean %.2f vs %.2f.%n",
                    atOrBelow, compared, sumOurs / compared, sumFgd / compared));
        }
        System.out.print(md);
    }

    private static double figure(JsonNode doc, String policy) {
        for (JsonNode p : doc.get("policies")) {
            if (p.get("policy").asText().equals(policy)) {
                JsonNode v = p.get("unallocatedPctAtArrived100");
                return v.isNull() ? Double.NaN : v.asDouble();
            }
        }
        return Double.NaN;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }
}
