package io.gpuq.webhook.server;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class KnownNamesTest {

    private static String find(String text, String padding) {
        byte[] bytes = (padding + text + padding).getBytes(StandardCharsets.ISO_8859_1);
        return KnownNames.find(bytes, padding.length(), text.length());
    }

    @Test
    void everyNameOfTheVocabularyIsFoundAsOneSharedString() {
        for (String name : KnownNames.vocabulary()) {
            String found = find(name, "\"x\":");
            assertThat(found).isEqualTo(name);
            assertThat(find(name, "")).isSameAs(found);
        }
    }

    @Test
    void otherNamesAndPartsOfKnownOnesAreNotFound() {
        assertThat(find("metadatas", "")).isNull();
        assertThat(find("metadat", "")).isNull();
        assertThat(find("Metadata", "")).isNull();
        assertThat(find("my-team/owner", "{")).isNull();
        assertThat(find("", "")).isNull();
        assertThat(find("requiredDuringSchedulingIgnoredDuringExecutionAndThenSome", "")).isNull();
        for (String name : KnownNames.vocabulary()) {
            String longer = name + "x";
            assertThat(find(longer, "\"")).as(longer).isNull();
        }
    }
}
