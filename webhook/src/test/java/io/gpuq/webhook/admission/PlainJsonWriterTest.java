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
}
