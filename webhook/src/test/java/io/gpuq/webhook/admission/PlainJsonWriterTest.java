package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PlainJsonWriterTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    private static String write(com.fasterxml.jackson.databind.JsonNode node) {
        PlainJsonWriter writer = PlainJsonWriter.onScratch(16);
        try {
            assertThat(writer.value(node)).isTrue();
            return new String(writer.toByteArray(), StandardCharsets.UTF_8);
        } finally {
            writer.release();
        }
    }

    @Test
    void binaryValuesAreTheBase64JacksonWrites() throws Exception {
        Random random = new Random(7);
        for (int n = 0; n < 200; n++) {
            byte[] data = new byte[n];
            random.nextBytes(data);
            BinaryNode node = BinaryNode.valueOf(data);
            assertThat(write(node)).as("%d bytes", n).isEqualTo(JACKSON.writeValueAsString(node));
        }
    }

    @Test
    void aWriterStartedInsideAnotherOnTheSameThreadDoesNotShareItsBuffer() throws Exception {
        PlainJsonWriter outer = PlainJsonWriter.onScratch(4);
        try {
            assertThat(outer.string("outer-before")).isTrue();
            ObjectNode inner = JACKSON.createObjectNode().put("inner", "x".repeat(5000));
            assertThat(write(inner)).isEqualTo(JACKSON.writeValueAsString(inner));
            assertThat(outer.string("outer-after")).isTrue();
            assertThat(new String(outer.toByteArray(), StandardCharsets.US_ASCII))
                    .isEqualTo("\"outer-before\"\"outer-after\"");
        } finally {
            outer.release();
        }
        // The buffer went back, grown; the next writer on this thread starts empty on it.
        assertThat(write(TextNode.valueOf("next"))).isEqualTo("\"next\"");
    }

    @Test
    void aStringIsWrittenAsJacksonWritesItOrRefusedWhenItWouldNeedEscaping() throws Exception {
        Random random = new Random(11);
        char[] alphabet = {'a', 'Z', '0', ' ', '~', '/', '"', '\\', '\n', '\u001f', '\u007f', '\u0080', '\u00e9',
                '\u0122', '\u0141', '\u4e2d', '\ud83d'};
        for (int round = 0; round < 5000; round++) {
            char[] chars = new char[random.nextInt(80)];
            boolean plain = true;
            for (int i = 0; i < chars.length; i++) {
                chars[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)]
                        : (char) ('a' + random.nextInt(26));
                plain &= chars[i] >= 0x20 && chars[i] <= 0x7e && chars[i] != '"' && chars[i] != '\\';
            }
            String text = new String(chars);
            PlainJsonWriter writer = PlainJsonWriter.onScratch(4);
            try {
                assertThat(writer.string(text)).as(text).isEqualTo(plain);
                if (plain) {
                    assertThat(new String(writer.toByteArray(), StandardCharsets.UTF_8))
                            .isEqualTo(JACKSON.writeValueAsString(text));
                }
            } finally {
                writer.release();
            }
        }
    }

    @Test
    void numbersBooleansAndNullAreWhatJacksonWrites() throws Exception {
        for (long value : new long[] {0, 7, 10, -1, -10, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
                Long.MIN_VALUE, 1_000_000_000_000L}) {
            com.fasterxml.jackson.databind.JsonNode node = value == (int) value
                    ? com.fasterxml.jackson.databind.node.IntNode.valueOf((int) value)
                    : com.fasterxml.jackson.databind.node.LongNode.valueOf(value);
            assertThat(write(node)).isEqualTo(JACKSON.writeValueAsString(node));
        }
        ObjectNode mixed = JACKSON.createObjectNode().put("t", true).put("f", false).putNull("n").put("i", 42);
        assertThat(write(mixed)).isEqualTo(JACKSON.writeValueAsString(mixed));
    }

    @Test
    void vocabularyWordsAreWrittenAsAnyOtherStringWithTheSameText() throws Exception {
        for (String word : JsonVocabulary.words()) {
            String copy = new String(word.toCharArray());
            assertThat(write(TextNode.valueOf(word))).isEqualTo(write(TextNode.valueOf(copy)))
                    .isEqualTo(JACKSON.writeValueAsString(word));
            for (String token : new String[] {word, copy}) {
                PlainJsonWriter writer = PlainJsonWriter.onScratch(4);
                try {
                    assertThat(writer.pointer(Pointer.ROOT.member("metadata").member(token).element(3))).isTrue();
                    assertThat(new String(writer.toByteArray(), StandardCharsets.US_ASCII))
                            .isEqualTo("\"/metadata/" + JsonPatchDiff.escape(word) + "/3\"");
                } finally {
                    writer.release();
                }
            }
        }
    }
}
