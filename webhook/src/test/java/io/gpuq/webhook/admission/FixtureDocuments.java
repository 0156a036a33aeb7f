package io.gpuq.webhook.admission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Reads the shared fixture files (JSON, or YAML with several documents) and normalises admission
 * inputs into full v1/v1beta1 AdmissionReviews, following each folder's SOURCES.md: bare requests and
 * bare pods are wrapped, a review without uid gets one.
 */
final class FixtureDocuments {

    private FixtureDocuments() {
    }

    /** The fixture files of a folder, sorted, without the SOURCES.md notice. */
    static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> !p.getFileName().toString().equals("SOURCES.md"))
                    .filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".yaml"))
                    .sorted().toList();
        }
    }

    /** The non-empty documents of a file. */
    static List<JsonNode> documents(Path file) throws IOException {
        return documents(Files.readString(file), file.toString().endsWith(".json"));
    }

    static List<JsonNode> documents(String text, boolean json) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (json) {
            out.add(Reviews.JSON.readTree(text));
            return out;
        }
        try (JsonParser parser = Reviews.YAML.getFactory().createParser(text);
             MappingIterator<JsonNode> docs = Reviews.YAML.readValues(parser, JsonNode.class)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.isObject() && !doc.isEmpty()) {
                    out.add(doc);
                }
            }
        }
        return out;
    }

    /** A full AdmissionReview for an admission fixture of any of the shapes SOURCES.md lists. */
    static ObjectNode asReview(JsonNode doc) {
        ObjectNode review;
        if ("AdmissionReview".equals(doc.path("kind").asText())) {
            review = (ObjectNode) doc.deepCopy();
        } else if ("Pod".equals(doc.path("kind").asText())) {
            review = Reviews.create(doc.deepCopy(), null);
        } else {
            review = Reviews.wrapRequest(doc.deepCopy());
        }
        ObjectNode request = (ObjectNode) review.get("request");
        if (!request.hasNonNull("uid")) {
            request.put("uid", UUID.randomUUID().toString());
        }
        return review;
    }
}
