package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test applier against the RFC 6902 conformance suite: every case that is not disabled upstream. */
class JsonPatchConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    List<DynamicTest> conformanceSuite() throws IOException {
        Path folder = SharedFixtures.fixtures("jsonpatch-tests");
        List<DynamicTest> tests = new ArrayList<>();
        for (String file : List.of("tests.json", "spec_tests.json")) {
            JsonNode cases = JSON.readTree(Files.readString(folder.resolve(file)));
            for (int i = 0; i < cases.size(); i++) {
                JsonNode c = cases.get(i);
                if (c.path("disabled").asBoolean(false) || !c.has("patch")) {
                    continue;
                }
                String name = file + " #" + i + " " + c.path("comment").asText("");
                tests.add(DynamicTest.dynamicTest(name, () -> run(c)));
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(100);
        return tests;
    }

    private static void run(JsonNode c) {
        JsonNode doc = c.get("doc");
        JsonNode patch = c.get("patch");
        if (c.has("error")) {
            assertThatThrownBy(() -> JsonPatchApplier.apply(doc, patch))
                    .as(c.get("error").asText())
                    .isInstanceOf(JsonPatchApplier.PatchException.class);
        } else if (c.has("expected")) {
            JsonNode result = JsonPatchApplier.apply(doc, patch);
            assertThat(JsonPatchApplier.equivalent(result, c.get("expected")))
                    .as("result %s, expected %s", result, c.get("expected")).isTrue();
        } else {
            JsonPatchApplier.apply(doc, patch);
        }
    }

    @Test
    void applyingNeverChangesTheInput() throws IOException {
        JsonNode doc = JSON.readTree("{\"a\":[1,2],\"b\":{\"c\":1}}");
        JsonNode before = doc.deepCopy();
        JsonNode patch = JSON.readTree("[{\"op\":\"remove\",\"path\":\"/a/0\"},{\"op\":\"add\",\"path\":\"/b/d\",\"value\":2}]");

        JsonNode result = JsonPatchApplier.apply(doc, patch);

        assertThat(doc).isEqualTo(before);
        assertThat(result).isEqualTo(JSON.readTree("{\"a\":[2],\"b\":{\"c\":1,\"d\":2}}"));
    }
}
