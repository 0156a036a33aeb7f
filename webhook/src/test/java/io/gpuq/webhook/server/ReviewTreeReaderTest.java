package io.gpuq.webhook.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.webhook.admission.JsonPruning;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ReviewTreeReader} against Jackson: on every body it answers, it builds Jackson's tree (less the
 * pruned members), it never answers a body Jackson refuses, and it answers the bodies it is meant for.
 */
class ReviewTreeReaderTest {

    private static final int NESTING = 100;
    private static final ReviewJson JACKSON = new ReviewJson(NESTING, 3 * 1024 * 1024);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static ObjectNode fast(String body, JsonPruning pruning) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return ReviewTreeReader.read(bytes, 0, bytes.length, NESTING, pruning);
    }

    private static JsonNode jackson(String body) throws ReviewJson.BadJsonException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return JACKSON.parseObject(bytes, 0, bytes.length);
    }

    @Property(tries = 400)
    void aDocumentOfAsciiTextAndIntegersIsReadAsJacksonReadsIt(@ForAll("plainDocuments") ObjectNode doc)
            throws Exception {
        String body = JACKSON.mapper().writeValueAsString(doc);
        ObjectNode read = fast(body, JsonPruning.none());
        assertThat(read).as(body).isNotNull();
        assertThat(read).isEqualTo(jackson(body));
        assertThat(read).isEqualTo(doc);
    }

    @Property(tries = 400)
    void anyDocumentIsReadAsJacksonReadsItOrLeftToJackson(@ForAll("anyDocuments") ObjectNode doc) throws Exception {
        String body = JACKSON.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        ObjectNode read = fast(body, JsonPruning.none());
        if (read != null) {
            assertThat(read).as(body).isEqualTo(jackson(body));
        }
    }

    @Property(tries = 1500)
    void aDamagedDocumentIsNeverAcceptedWhereJacksonRefusesIt(@ForAll("plainDocuments") ObjectNode doc,
                                                              @ForAll("damage") Tuple.Tuple3<Integer, Integer, Character> damage)
            throws Exception {
        String body = JACKSON.mapper().writeValueAsString(doc);
        int at = damage.get1() % (body.length() + 1);
        String damaged = switch (damage.get2()) {
            case 0 -> body.substring(0, at) + damage.get3() + body.substring(at);
            case 1 -> at < body.length() ? body.substring(0, at) + body.substring(at + 1) : body + damage.get3();
            default -> at < body.length() ? body.substring(0, at) + damage.get3() + body.substring(at + 1) : body;
        };
        ObjectNode read = fast(damaged, JsonPruning.none());
        if (read != null) {
            assertThat(read).as(damaged).isEqualTo(jackson(damaged));
        }
    }

    @Property(tries = 300)
    void prunedMembersAreLeftOutAndNothingElse(@ForAll("plainDocuments") ObjectNode inner) throws Exception {
        ObjectNode doc = NODES.objectNode();
        doc.put("kept", 1);
        doc.set("dropped", inner.deepCopy());
        ArrayNode items = doc.putArray("items");
        items.addObject().put("name", "a").set("secret", inner.deepCopy());
        items.addObject().put("name", "b");
        items.addObject().put("secret", "x").set("other", inner.deepCopy());
        JsonPruning pruning = JsonPruning.builder().skip("dropped").skip("items", JsonPruning.ANY_ELEMENT, "secret").build();

        ObjectNode read = fast(JACKSON.mapper().writeValueAsString(doc), pruning);

        ObjectNode expected = doc.deepCopy();
        expected.remove("dropped");
        expected.get("items").forEach(item -> ((ObjectNode) item).remove("secret"));
        assertThat(read).isEqualTo(expected);
    }

    @Example
    void malformedJsonInsideAPrunedMemberIsStillRefused() {
        JsonPruning pruning = JsonPruning.builder().skip("a").build();
        for (String body : List.of("{\"a\":[1 2],\"b\":1}", "{\"a\":{\"x\"},\"b\":1}", "{\"a\":tru,\"b\":1}",
                "{\"a\":\"\\q\",\"b\":1}", "{\"a\":01,\"b\":1}", "{\"a\":[1,],\"b\":1}", "{\"a\":\"x")) {
            assertThat(fast(body, pruning)).as(body).isNull();
            assertThatThrownBy(() -> jackson(body)).as(body).isInstanceOf(ReviewJson.BadJsonException.class);
        }
        assertThat(fast("{\"a\":[1,{\"x\":\"\\u00e9\\n\"}],\"b\":1}", pruning)).isEqualTo(NODES.objectNode().put("b", 1));
    }

    @Example
    void whatItDoesNotCoverIsLeftToJackson() {
        for (String body : List.of("{\"a\":1.5}", "{\"a\":1e3}", "{\"a\":12345678901234567890}", "{\"a\":\"é\"}",
                "\uFEFF{\"a\":1}", "[1]", "{} {}", "", "   ", "{\"a\":\"\u0001\"}", "{'a':1}", "{\"a\":1,}",
                "{\"a\":NaN}", "{\"a\":-}", "{\"a\":+1}", "{\"a\":1}x", "{\"a\" 1}", "{a:1}")) {
            assertThat(fast(body, JsonPruning.none())).as(body).isNull();
        }
        assertThat(fast("{\"a\":\"\\u00e9\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", JsonPruning.none()))
                .isEqualTo(NODES.objectNode().put("a", "é\uD83D\uDE00\"\\/\b\f\n\r\t"));
        assertThat(fast(" {\"i\":-2147483648,\"l\":2147483648,\"z\":-0,\"t\":true,\"f\":false,\"n\":null} ",
                JsonPruning.none()))
                .isEqualTo(NODES.objectNode().put("i", Integer.MIN_VALUE).put("l", 2147483648L).put("z", 0)
                        .put("t", true).put("f", false).putNull("n"));
    }

    @Example
    void aStringEndsOrStopsAtTheRightByteWhereverItFallsInAnEightByteBlock() throws Exception {
        for (int length = 0; length <= 24; length++) {
            String plain = "abcdefghijklmnopqrstuvwxyz".substring(0, length);
            for (int pad = 0; pad < 8; pad++) {
                String prefix = "{\"" + "k".repeat(pad + 1) + "\":\"";
                String body = prefix + plain + "\",\"z\":[\"" + plain + "\"]}";
                assertThat(fast(body, JsonPruning.none())).as(body).isEqualTo(jackson(body));
                assertThat(fast(body, JsonPruning.builder().skip("k".repeat(pad + 1)).build())).as(body)
                        .isEqualTo(NODES.objectNode().set("z", NODES.arrayNode().add(plain)));
                for (int at = 0; at <= length; at++) {
                    String head = plain.substring(0, at);
                    String tail = plain.substring(at);
                    for (String inserted : List.of("\\\"", "\\\\", "\\n", "\\u0041")) {
                        String escaped = prefix + head + inserted + tail + "\"}";
                        assertThat(fast(escaped, JsonPruning.none())).as(escaped).isEqualTo(jackson(escaped));
                        assertThat(fast(escaped, JsonPruning.builder().skip("k".repeat(pad + 1)).build()))
                                .as(escaped).isEqualTo(NODES.objectNode());
                    }
                    for (String refused : List.of("\u0001", "\u00e9", "\u007f\u0080")) {
                        String bad = prefix + head + refused + tail + "\"}";
                        assertThat(fast(bad, JsonPruning.none())).as(bad).isNull();
                        assertThat(fast(bad, JsonPruning.builder().skip("k".repeat(pad + 1)).build())).as(bad).isNull();
                    }
                }
            }
        }
    }

    @Example
    void nestingAtTheLimitIsLeftToJacksonWhichRefusesBeyondIt() throws Exception {
        String within = "{\"a\":".repeat(NESTING - 2) + "1" + "}".repeat(NESTING - 2);
        assertThat(fast(within, JsonPruning.none())).isNotNull();
        String atLimit = "{\"a\":".repeat(NESTING) + "1" + "}".repeat(NESTING);
        assertThat(fast(atLimit, JsonPruning.none())).isNull();
        assertThat(jackson(atLimit)).isNotNull();
        String beyond = "{\"a\":".repeat(NESTING + 1) + "1" + "}".repeat(NESTING + 1);
        assertThat(fast(beyond, JsonPruning.builder().skip("a").build())).isNull();
        assertThatThrownBy(() -> jackson(beyond)).isInstanceOf(ReviewJson.BadJsonException.class);
    }

    @Example
    void duplicateMembersKeepTheirFirstPlaceAndTheirLastValueAsInJackson() throws Exception {
        String body = "{\"a\":1,\"b\":2,\"a\":{\"c\":3}}";
        assertThat(fast(body, JsonPruning.none())).isEqualTo(jackson(body));
        assertThat(fast(body, JsonPruning.none()).fieldNames()).toIterable().containsExactly("a", "b");
    }

    @Example
    void aPruningCannotDropArrayElements() {
        assertThatThrownBy(() -> JsonPruning.builder().skip("items", JsonPruning.ANY_ELEMENT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("items.*");
    }

    @Provide
    Arbitrary<ObjectNode> plainDocuments() {
        return objects(plainScalars(), 3);
    }

    @Provide
    Arbitrary<ObjectNode> anyDocuments() {
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(plainScalars(),
                Arbitraries.strings().ofMaxLength(12).map(NODES::textNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.bigIntegers().between(java.math.BigInteger.TEN.pow(17).negate(),
                        java.math.BigInteger.TEN.pow(25)).map(NODES::numberNode));
        return objects(scalars, 3);
    }

    @Provide
    Arbitrary<Tuple.Tuple3<Integer, Integer, Character>> damage() {
        return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 10_000),
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.of('{', '}', '[', ']', '"', ',', ':', '\\', ' ', '0', '-', '.', 'e', 'x', 't', 'n',
                                '\u0001', '\u00e9'))
                .as(Tuple::of);
    }

    private static Arbitrary<JsonNode> plainScalars() {
        Arbitrary<String> ascii = Arbitraries.strings().withCharRange(' ', '~').withChars('\n', '\t', '"', '\\')
                .ofMaxLength(16);
        return Arbitraries.oneOf(
                ascii.map(NODES::textNode),
                Arbitraries.integers().map(NODES::numberNode),
                // As a parser types them: an int node where the value fits, else a long node.
                Arbitraries.longs().between(-999_999_999_999_999_999L, 999_999_999_999_999_999L)
                        .map(v -> v == (int) (long) v ? NODES.numberNode((int) (long) v) : NODES.numberNode(v)),
                Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode()));
    }

    private static Arbitrary<ObjectNode> objects(Arbitrary<JsonNode> scalars, int depth) {
        Arbitrary<String> names = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(10);
        Arbitrary<JsonNode> values = depth == 0 ? scalars
                : Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, scalars),
                        net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> objects(scalars, depth - 1)).map(o -> (JsonNode) o)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> arrays(scalars, depth - 1)).map(a -> (JsonNode) a)));
        return Arbitraries.maps(names, values).ofMaxSize(6).map(m -> {
            ObjectNode o = NODES.objectNode();
            m.forEach(o::set);
            return o;
        });
    }

    private static Arbitrary<ArrayNode> arrays(Arbitrary<JsonNode> scalars, int depth) {
        Arbitrary<JsonNode> elements = Arbitraries.oneOf(scalars,
                Arbitraries.lazy(() -> objects(scalars, depth)).map(o -> (JsonNode) o));
        return elements.list().ofMaxSize(5).map(list -> {
            ArrayNode a = NODES.arrayNode();
            list.forEach(a::add);
            return a;
        });
    }
}
