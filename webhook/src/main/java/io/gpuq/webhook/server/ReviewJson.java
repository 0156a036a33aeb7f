package io.gpuq.webhook.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.gpuq.webhook.admission.JsonPruning;
import io.gpuq.webhook.admission.PlainJsonWriter;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.io.IOException;

/**
 * Reads request bodies into JSON trees within limits and writes response documents. Thread-safe: one
 * instance serves every event loop.
 */
final class ReviewJson {

    /** The body is not an acceptable JSON document; {@link #getMessage()} says why, for the caller. */
    static final class BadJsonException extends Exception {
        BadJsonException(String message) {
            super(message, null, false, false);
        }
    }

    /** Room for a typical answer, so that the writer rarely grows its buffer. */
    private static final int ANSWER_BYTES = 2048;

    private final ObjectMapper mapper;
    private final int maxNesting;

    ReviewJson(int maxNesting, int maxBytes) {
        this.maxNesting = maxNesting;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxNesting)
                        .maxDocumentLength(maxBytes)
                        .build())
                .build();
        this.mapper = JsonMapper.builder(factory)
                // "{} garbage" is not one JSON document; the API server never sends it.
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Parses a body that must be one JSON object, from the buffer's own bytes where it has an array, and
     * may leave out the members {@code unread} names.
     */
    JsonNode parseObject(Buffer body, JsonPruning unread) throws BadJsonException {
        ByteBuf bytes = ((BufferInternal) body).getByteBuf();
        if (bytes.hasArray()) {
            return parseObject(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes(), unread);
        }
        byte[] copy = body.getBytes();
        return parseObject(copy, 0, copy.length, unread);
    }

    /**
     * Parses a body that must be one JSON object. Bodies as the API server writes them are read by
     * {@link ReviewTreeReader}, which leaves out the {@code unread} members; the rest, and every body with
     * an error, by Jackson, whole.
     */
    JsonNode parseObject(byte[] body, int offset, int length, JsonPruning unread) throws BadJsonException {
        JsonNode fast = ReviewTreeReader.read(body, offset, length, maxNesting, unread);
        return fast != null ? fast : parseObject(body, offset, length);
    }

    /** Parses a body that must be one JSON object, with Jackson. */
    JsonNode parseObject(byte[] body, int offset, int length) throws BadJsonException {
        JsonNode node;
        try {
            node = mapper.readTree(body, offset, length);
        } catch (StreamConstraintsException e) {
            throw new BadJsonException("the body exceeds a JSON limit (nesting deeper than " + maxNesting
                    + " levels, or an over-long number or string): " + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new BadJsonException("the body is not valid JSON: " + firstLine(e.getOriginalMessage())
                    + where(e.getLocation()));
        } catch (IOException e) {
            throw new BadJsonException("the body could not be read as JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || node.isMissingNode()) {
            throw new BadJsonException("the body is empty; expected an AdmissionReview JSON object");
        }
        if (!node.isObject()) {
            throw new BadJsonException("the body is a JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not an object; expected an AdmissionReview");
        }
        return node;
    }

    /**
     * The document's compact JSON: an answer of plain text, numbers and a Base64 patch (nearly every
     * one) by {@link PlainJsonWriter}, which writes the bytes Jackson would, anything else by Jackson.
     */
    byte[] write(JsonNode node) throws JsonProcessingException {
        return writeBuffer(node).getBytes();
    }

    /** {@link #write}, into the buffer the response sends: the plain case is copied once, from scratch. */
    Buffer writeBuffer(JsonNode node) throws JsonProcessingException {
        PlainJsonWriter plain = PlainJsonWriter.onScratch(ANSWER_BYTES);
        try {
            if (plain.value(node)) {
                return Buffer.buffer(plain.length()).appendBytes(plain.buffer(), 0, plain.length());
            }
            return Buffer.buffer(mapper.writeValueAsBytes(node));
        } finally {
            plain.release();
        }
    }

    /** A Kubernetes {@code Status} document, as the API server itself answers errors. */
    byte[] status(int code, String reason, String message) {
        ObjectNode status = mapper.createObjectNode()
                .put("kind", "Status")
                .put("apiVersion", "v1")
                .put("status", "Failure")
                .put("message", message)
                .put("reason", reason)
                .put("code", code);
        status.putObject("metadata");
        try {
            return mapper.writeValueAsBytes(status);
        } catch (JsonProcessingException e) {
            // Only strings and numbers are in it; this cannot fail.
            throw new IllegalStateException(e);
        }
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
