package io.gpuq.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/** The chart in charts/gpuq rendered by the Helm library that helm-java bundles. */
final class Chart {

    static final String RELEASE = "gpuq";
    static final String NAMESPACE = "runai";
    /** A current Kubernetes release; without it helm-java's template assumes 1.20, below the chart's kubeVersion. */
    static final String KUBE_VERSION = "1.31.0";

    private Chart() {
    }

    static Helm helm() {
        return new Helm(RepoFiles.chart());
    }

    /**
     * {@code helm lint --strict} of the chart with its default values (helm-java's lint takes no values;
     * variations are checked by rendering them).
     */
    static LintResult lint() {
        return helm().lint().strict().call();
    }

    /** {@code helm template gpuq charts/gpuq -n runai -f values} (CRDs included), parsed. */
    static Rendered render(String valuesYaml) {
        return new Rendered(Yaml.documents(template(valuesYaml)));
    }

    static String template(String valuesYaml) {
        KubeApi.get();
        Path values = valuesFile(valuesYaml);
        try {
            TemplateCommand template = helm().template().withName(RELEASE).withNamespace(NAMESPACE)
                    .withKubeVersion(KUBE_VERSION);
            if (values != null) {
                template = template.withValuesFile(values);
            }
            return template.call();
        } finally {
            delete(values);
        }
    }

    private static Path valuesFile(String valuesYaml) {
        if (valuesYaml == null || valuesYaml.isBlank()) {
            return null;
        }
        try {
            Path file = Files.createTempFile("gpuq-values", ".yaml");
            Files.writeString(file, valuesYaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The manifests of one render. */
    record Rendered(List<JsonNode> objects) {

        List<JsonNode> kind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
        }

        JsonNode one(String kind, String name) {
            List<JsonNode> found = objects.stream()
                    .filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.path("metadata").path("name").asText()))
                    .toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one " + kind + " named " + name + ", found " + found.size()
                        + " among " + summary());
            }
            return found.get(0);
        }

        boolean has(String kind) {
            return !kind(kind).isEmpty();
        }

        List<JsonNode> where(Predicate<JsonNode> test) {
            return objects.stream().filter(test).toList();
        }

        /** The pod templates of every Deployment. */
        List<JsonNode> podSpecs() {
            return kind("Deployment").stream().map(d -> d.path("spec").path("template").path("spec")).toList();
        }

        String summary() {
            return objects.stream()
                    .map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText())
                    .filter(Objects::nonNull)
                    .toList()
                    .toString();
        }
    }
}
