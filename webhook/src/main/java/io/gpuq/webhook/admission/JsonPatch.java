package io.gpuq.webhook.admission;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 6902 patch as a list of operations. It is written to bytes straight from the operations,
 * without first building a tree of them: the answer needs only the bytes, and building, copying and
 * then walking an {@code ArrayNode} of small objects cost more than the writing itself. The bytes are
 * exactly those a default {@link ObjectMapper} writes for {@link #toJson()}: a patch of plain text
 * (nearly every one) is written by {@link PlainJsonWriter}, any other by Jackson itself.
 *
 * <p>Values are the nodes of the mutated pod, not copies: a patch is written once, right after the
 * mutation that produced it, and nothing writes to those nodes after that.
 */
final class JsonPatch {

    /** One operation; {@code value} is null for {@code remove}. */
    record Operation(SerializedString op, Pointer pointer, JsonNode value) {

        /** The pointer as text. */
        String path() {
            return pointer.toString();
        }
    }

    static final SerializedString ADD = new SerializedString("add");
    static final SerializedString REMOVE = new SerializedString("remove");
    static final SerializedString REPLACE = new SerializedString("replace");

    private static final SerializableString OP = new SerializedString("op");
    private static final SerializableString PATH = new SerializedString("path");
    private static final SerializableString VALUE = new SerializedString("value");
    /** An operation's bytes up to its path, for each op as the first operation and as a later one. */
    private static final byte[] ADD_FIRST = opening("add", true);
    private static final byte[] ADD_NEXT = opening("add", false);
    private static final byte[] REMOVE_FIRST = opening("remove", true);
    private static final byte[] REMOVE_NEXT = opening("remove", false);
    private static final byte[] REPLACE_FIRST = opening("replace", true);
    private static final byte[] REPLACE_NEXT = opening("replace", false);
    private static final byte[] VALUE_MEMBER = ",\"value\":".getBytes(StandardCharsets.US_ASCII);
    /** Default settings, as the patch was always written; its generators and serializers are reused. */
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Room for a typical patch, so the buffer is not grown while writing. */
    private static final int INITIAL_BYTES = 1024;

    private final List<Operation> operations = new ArrayList<>();

    void add(SerializedString op, String path, JsonNode value) {
        add(op, Pointer.of(path), value);
    }

    void add(SerializedString op, Pointer path, JsonNode value) {
        operations.add(new Operation(op, path, value));
    }

    boolean isEmpty() {
        return operations.isEmpty();
    }

    int size() {
        return operations.size();
    }

    /** Drops the operations from {@code size} on, those added since {@link #size()} answered it. */
    void truncate(int size) {
        operations.subList(size, operations.size()).clear();
    }

    /** The patch as a JSON array, with copies of the values. */
    ArrayNode toJson() {
        ArrayNode out = JsonNodeFactory.instance.arrayNode(operations.size());
        for (Operation operation : operations) {
            ObjectNode op = out.addObject();
            op.put("op", operation.op().getValue());
            op.put("path", operation.path());
            if (operation.value() != null) {
                op.set("value", operation.value().deepCopy());
            }
        }
        return out;
    }

    /** The patch as UTF-8 JSON, byte for byte what a default {@code ObjectMapper} writes for {@link #toJson()}. */
    byte[] toBytes() {
        PlainJsonWriter plain = PlainJsonWriter.onScratch(INITIAL_BYTES);
        try {
            return writePlain(plain) ? plain.toByteArray() : writeWithJackson();
        } finally {
            plain.release();
        }
    }

    private static byte[] opening(String op, boolean first) {
        return ((first ? "" : ",") + "{\"op\":\"" + op + "\",\"path\":").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] opening(SerializedString op, boolean first) {
        if (op == ADD) {
            return first ? ADD_FIRST : ADD_NEXT;
        }
        if (op == REMOVE) {
            return first ? REMOVE_FIRST : REMOVE_NEXT;
        }
        if (op == REPLACE) {
            return first ? REPLACE_FIRST : REPLACE_NEXT;
        }
        return opening(op.getValue(), first);
    }

    private boolean writePlain(PlainJsonWriter out) {
        out.raw((byte) '[');
        for (int i = 0; i < operations.size(); i++) {
            Operation operation = operations.get(i);
            out.raw(opening(operation.op(), i == 0));
            if (!out.pointer(operation.pointer())) {
                return false;
            }
            if (operation.value() != null) {
                out.raw(VALUE_MEMBER);
                if (!out.value(operation.value())) {
                    return false;
                }
            }
            out.raw((byte) '}');
        }
        out.raw((byte) ']');
        return true;
    }

    private byte[] writeWithJackson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(INITIAL_BYTES);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            // One provider for all values, as one writeValue call for the whole array would use.
            SerializerProvider provider = MAPPER.getSerializerProviderInstance();
            g.writeStartArray();
            for (Operation operation : operations) {
                g.writeStartObject();
                g.writeFieldName(OP);
                g.writeString(operation.op());
                g.writeFieldName(PATH);
                g.writeString(operation.path());
                if (operation.value() != null) {
                    g.writeFieldName(VALUE);
                    operation.value().serialize(g, provider);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            // Writing JSON nodes into memory cannot fail; getting here is a programming error.
            throw new UncheckedIOException("cannot serialise a JSON patch", e);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
