package io.gpuq.webhook.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The member map against a LinkedHashMap, the map Jackson itself gives an object. */
class MemberMapTest {

    private static final String[] NAMES = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"};

    private static void assertSame(MemberMap actual, LinkedHashMap<String, JsonNode> expected) {
        assertThat(actual.size()).isEqualTo(expected.size());
        assertThat(actual.isEmpty()).isEqualTo(expected.isEmpty());
        assertThat(new ArrayList<>(actual.entrySet())).isEqualTo(new ArrayList<>(expected.entrySet()));
        assertThat(new ArrayList<>(actual.keySet())).isEqualTo(new ArrayList<>(expected.keySet()));
        assertThat(actual).isEqualTo(expected);
        assertThat(expected).isEqualTo(actual);
        assertThat(actual.hashCode()).isEqualTo(expected.hashCode());
        List<Map.Entry<String, JsonNode>> visited = new ArrayList<>();
        actual.forEach((name, value) -> visited.add(Map.entry(name, value)));
        assertThat(visited).isEqualTo(new ArrayList<>(expected.entrySet()));
        for (String name : NAMES) {
            assertThat(actual.get(name)).isEqualTo(expected.get(name));
            assertThat(actual.containsKey(name)).isEqualTo(expected.containsKey(name));
        }
    }

    @Test
    void randomEditsLeaveItEqualToALinkedHashMap() {
        Random random = new Random(42);
        for (int run = 0; run < 300; run++) {
            MemberMap actual = new MemberMap();
            LinkedHashMap<String, JsonNode> expected = new LinkedHashMap<>();
            for (int step = 0; step < 40; step++) {
                String name = NAMES[random.nextInt(random.nextBoolean() ? 5 : NAMES.length)];
                JsonNode value = IntNode.valueOf(random.nextInt(100));
                switch (random.nextInt(7)) {
                    case 0, 1, 2 -> assertThat(actual.put(name, value)).isEqualTo(expected.put(name, value));
                    case 3 -> assertThat(actual.remove(name)).isEqualTo(expected.remove(name));
                    case 4 -> {
                        // Remove every other member through the iterators.
                        Iterator<Map.Entry<String, JsonNode>> a = actual.entrySet().iterator();
                        Iterator<Map.Entry<String, JsonNode>> e = expected.entrySet().iterator();
                        boolean drop = random.nextBoolean();
                        while (e.hasNext()) {
                            assertThat(a.hasNext()).isTrue();
                            assertThat(a.next()).isEqualTo(e.next());
                            if (drop) {
                                a.remove();
                                e.remove();
                            }
                            drop = !drop;
                        }
                        assertThat(a.hasNext()).isFalse();
                    }
                    case 5 -> {
                        // Set every value through the entries.
                        for (Map.Entry<String, JsonNode> entry : actual.entrySet()) {
                            entry.setValue(TextNode.valueOf(entry.getKey() + step));
                        }
                        expected.replaceAll((k, v) -> TextNode.valueOf(k + stepOf(k, actual)));
                    }
                    default -> {
                        if (random.nextInt(10) == 0) {
                            actual.clear();
                            expected.clear();
                        }
                    }
                }
                assertSame(actual, expected);
            }
        }
    }

    private static String stepOf(String name, MemberMap actual) {
        return actual.get(name).textValue().substring(name.length());
    }

    @Test
    void anEditOutsideAnIteratorIsNoticed() {
        MemberMap map = new MemberMap();
        map.put("a", IntNode.valueOf(1));
        map.put("b", IntNode.valueOf(2));
        Iterator<Map.Entry<String, JsonNode>> it = map.entrySet().iterator();
        it.next();
        map.put("c", IntNode.valueOf(3));
        assertThatThrownBy(it::next).isInstanceOf(ConcurrentModificationException.class);
        assertThatThrownBy(() -> map.entrySet().iterator().remove()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void asTheMembersOfAnObjectNodeItBehavesAsJacksonsOwn() {
        ObjectNode ours = new ObjectNode(JsonNodeFactory.instance, new MemberMap());
        ObjectNode jacksons = JsonNodeFactory.instance.objectNode();
        List<String> names = List.of("spec", "metadata", "kind", "apiVersion", "status", "x", "y", "z", "w", "v");
        for (String name : names) {
            ours.put(name, name.length());
            jacksons.put(name, name.length());
        }
        ours.remove("kind");
        jacksons.remove("kind");
        ours.put("spec", "replaced");
        jacksons.put("spec", "replaced");
        assertThat((Object) ours).isEqualTo(jacksons);
        assertThat((Object) jacksons).isEqualTo(ours);
        assertThat(ours.toString()).isEqualTo(jacksons.toString());
        assertThat((Object) ours.deepCopy()).isEqualTo(jacksons);
        assertThat((Object) ours.without(List.of("x", "y"))).isEqualTo(jacksons.without(List.of("x", "y")));
    }
}
