package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The diff that turns the mutator's edit into a patch. */
class JsonPatchDiffTest {

    @ParameterizedTest
    @CsvSource({"plain,plain", "a/b,a~1b", "a~b,a~0b", "~/,~0~1", "~1,~01", "'',''"})
    void tokensAreEscapedTildeFirst(String token, String escaped) {
        assertThat(JsonPatchDiff.escape(token)).isEqualTo(escaped);
        assertThat(JsonPatchApplier.pointer("/" + escaped)).containsExactly(token);
    }

    @Test
    void onlyTheDifferencesAreInThePatch() {
        JsonNode from = Reviews.json("{\"a\":{\"x\":1,\"y\":[1,2]},\"b\":\"same\",\"c\":null,\"gone\":true}");
        JsonNode to = Reviews.json("{\"a\":{\"x\":1,\"y\":[1,3,4]},\"b\":\"same\",\"c\":{\"k\":\"v\"},\"new/key\":2}");

        JsonNode patch = JsonPatchDiff.diff(from, to);

        assertThat(patch.toString()).isEqualTo("[{\"op\":\"replace\",\"path\":\"/a/y/1\",\"value\":3},"
                + "{\"op\":\"add\",\"path\":\"/a/y/2\",\"value\":4},"
                + "{\"op\":\"replace\",\"path\":\"/c\",\"value\":{\"k\":\"v\"}},"
                + "{\"op\":\"remove\",\"path\":\"/gone\"},"
                + "{\"op\":\"add\",\"path\":\"/new~1key\",\"value\":2}]");
        assertThat(JsonPatchApplier.apply(from, patch)).isEqualTo(to);
    }

    @Test
    void shortenedArraysLoseTheirTailFromTheEnd() {
        JsonNode from = Reviews.json("{\"l\":[1,2,3,4]}");
        JsonNode to = Reviews.json("{\"l\":[1,2]}");

        JsonNode patch = JsonPatchDiff.diff(from, to);

        assertThat(patch.toString()).isEqualTo("[{\"op\":\"remove\",\"path\":\"/l/3\"},{\"op\":\"remove\",\"path\":\"/l/2\"}]");
        assertThat(JsonPatchApplier.apply(from, patch)).isEqualTo(to);
    }

    @Test
    void equalDocumentsGiveAnEmptyPatch() {
        JsonNode doc = Reviews.json("{\"a\":[{\"b\":1}]}");
        assertThat(JsonPatchDiff.diff(doc, doc.deepCopy())).isEmpty();
    }
}
