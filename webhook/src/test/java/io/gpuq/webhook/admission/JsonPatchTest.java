package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A patch's bytes are exactly what a default ObjectMapper writes for the same patch as a tree. */
class JsonPatchTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @ParameterizedTest
    @ValueSource(strings = {"plain", "", "with \"quotes\"", "back\\slash", "tab\there", "new\nline", "bell\u0007",
            "del\u007f", "caf\u00e9", "\u20ac", "emoji \ud83d\ude00", "lone \ud83d", "~0/~1", "nul\u0000"})
    void textIsWrittenAsJacksonWritesIt(String text) throws Exception {
        ObjectNode value = NODES.objectNode();
        value.put(text, text);
        value.putArray("list").add(text).add(1).add(-7L).add(true).addNull();
        assertSameBytes(patchOf(text, value));
        assertSameBytes(patchOf("/metadata/labels/x", NODES.textNode(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"int", "long", "double", "float", "decimal", "bigint", "short", "binary", "pojo"})
    void numbersAndOtherNodesAreWrittenAsJacksonWritesThem(String kind) throws Exception {
        JsonNode value = switch (kind) {
            case "int" -> NODES.numberNode(Integer.MIN_VALUE);
            case "long" -> NODES.numberNode(Long.MAX_VALUE);
            case "double" -> NODES.numberNode(0.1 + 0.2);
            case "float" -> NODES.numberNode(1.5e-7f);
            case "decimal" -> NODES.numberNode(new BigDecimal("1.50E+3"));
            case "bigint" -> NODES.numberNode(new BigInteger("123456789012345678901234567890"));
            case "short" -> NODES.numberNode((short) 7);
            case "binary" -> NODES.binaryNode(new byte[]{1, 2, 3});
            default -> NODES.pojoNode(java.util.List.of("a", 1));
        };
        ObjectNode wrapped = NODES.objectNode();
        wrapped.set("v", value);
        assertSameBytes(patchOf("/spec/x", value));
        assertSameBytes(patchOf("/spec/y", wrapped));
    }

    private static JsonPatch patchOf(String path, JsonNode value) {
        JsonPatch patch = new JsonPatch();
        patch.add(JsonPatch.REPLACE, "/spec/schedulerName", NODES.textNode("runai-scheduler"));
        patch.add(JsonPatch.ADD, path, value);
        patch.add(JsonPatch.REMOVE, "/spec/priority", null);
        return patch;
    }

    private static void assertSameBytes(JsonPatch patch) throws Exception {
        assertThat(patch.toBytes()).isEqualTo(MAPPER.writeValueAsBytes(patch.toJson()));
    }
}
