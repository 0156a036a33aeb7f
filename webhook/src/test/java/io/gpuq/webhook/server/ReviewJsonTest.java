package io.gpuq.webhook.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Answers are written as Jackson writes them, whichever writer takes them. */
class ReviewJsonTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final ReviewJson JSON = new ReviewJson(100, 3 * 1024 * 1024);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Property(tries = 500)
    void anAnswerIsWrittenByteForByteAsJacksonWritesIt(@ForAll("answers") ObjectNode answer) throws Exception {
        assertThat(new String(JSON.write(answer), StandardCharsets.UTF_8))
                .isEqualTo(JACKSON.writeValueAsString(answer));
    }

    @Example
    void anAllowedAnswerWithAPatchADenialAndWarnings() throws Exception {
        ObjectNode allowed = NODES.objectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        allowed.putObject("response").put("uid", "u-1").put("allowed", true).put("patchType", "JSONPatch")
                .put("patch", "[{\"op\":\"add\",\"path\":\"/spec/schedulerName\",\"value\":\"runai-scheduler\"}]"
                        .getBytes(StandardCharsets.UTF_8));
        ObjectNode denied = NODES.objectNode().put("apiVersion", "admission.k8s.io/v1beta1").put("kind", "AdmissionReview");
        ObjectNode response = denied.putObject("response").put("uid", "u-2").put("allowed", false);
        response.putObject("status").put("code", 403).put("reason", "Forbidden")
                .put("message", "node pool \"inference\" is not one of project \"team-a\"'s pools: \"default\" — ask your admin");
        response.putArray("warnings").add("spec.topologySpreadConstraints is ignored");
        for (ObjectNode answer : List.of(allowed, denied)) {
            assertThat(JSON.write(answer)).isEqualTo(JACKSON.writeValueAsBytes(answer));
        }
    }

    @Provide
    Arbitrary<ObjectNode> answers() {
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(NODES::textNode),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20).map(NODES::textNode),
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(NODES::binaryNode),
                Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode()));
        Arbitrary<String> names = Arbitraries.strings().ofMaxLength(8);
        Arbitrary<ArrayNode> arrays = scalars.list().ofMaxSize(4).map(list -> {
            ArrayNode a = NODES.arrayNode();
            list.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> values = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, scalars), net.jqwik.api.Tuple.of(1, arrays.map(a -> (JsonNode) a)));
        Arbitrary<ObjectNode> inner = Arbitraries.maps(names, values).ofMaxSize(5).map(m -> {
            ObjectNode o = NODES.objectNode();
            m.forEach(o::set);
            return o;
        });
        return Arbitraries.maps(names, Arbitraries.oneOf(values, inner.map(o -> (JsonNode) o))).ofMaxSize(5).map(m -> {
            ObjectNode o = NODES.objectNode();
            m.forEach(o::set);
            return o;
        });
    }
}
