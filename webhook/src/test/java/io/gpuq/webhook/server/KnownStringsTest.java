package io.gpuq.webhook.server;

import com.fasterxml.jackson.databind.node.TextNode;
import io.gpuq.webhook.admission.JsonVocabulary;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class KnownStringsTest {

    private static String find(String text, String padding) {
        byte[] bytes = (padding + text + padding).getBytes(StandardCharsets.ISO_8859_1);
        return KnownStrings.find(bytes, padding.length(), text.length());
    }

    @Test
    void everyStringOfTheVocabularyIsFoundAsOneSharedStringAndTextNode() {
        for (String name : JsonVocabulary.words()) {
            String found = find(name, "\"x\":");
            assertThat(found).isEqualTo(name);
            assertThat(find(name, "")).isSameAs(found);
            byte[] bytes = ("\"" + name + "\"").getBytes(StandardCharsets.ISO_8859_1);
            TextNode text = KnownStrings.findText(bytes, 1, name.length());
            assertThat(text.textValue()).isEqualTo(name);
            assertThat(KnownStrings.findText(bytes, 1, name.length())).isSameAs(text);
        }
    }

    @Test
    void otherNamesAndPartsOfKnownOnesAreNotFound() {
        assertThat(find("metadatas", "")).isNull();
        assertThat(find("metadat", "")).isNull();
        assertThat(find("Metadata", "")).isNull();
        assertThat(find("my-team/owner", "{")).isNull();
        assertThat(find("requiredDuringSchedulingIgnoredDuringExecutionAndThenSome", "")).isNull();
        for (String name : JsonVocabulary.words()) {
            String longer = name + "x";
            assertThat(find(longer, "\"")).as(longer).isNull();
        }
    }

    @Test
    void aKnownTextWithAnyOneByteChangedIsNotFound() {
        for (String name : JsonVocabulary.words()) {
            for (int i = 0; i < name.length(); i++) {
                char[] chars = name.toCharArray();
                chars[i] = chars[i] == '~' ? '!' : '~';
                String changed = new String(chars);
                assertThat(find(changed, "")).as(changed).isNull();
                assertThat(find(changed, "\"metadata\":")).as(changed).isNull();
            }
        }
    }
}
