package io.gpuq.webhook.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gpuq.webhook.admission.JsonPruning;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds the JSON tree of a review body in one pass over its bytes, leaving out what a
 * {@link JsonPruning} names: those values are checked to be well-formed JSON but get no strings or nodes,
 * and most of a pod's bytes are in them.
 *
 * <p>It covers the documents the API server sends: ASCII text and integers of up to 18 digits. For
 * anything else (bytes above 0x7F, fractions and exponents, longer numbers, nesting at the limit, long
 * member names) and for every malformed body, {@link #read} returns null and the caller parses the body
 * with Jackson, which then also words the error. So this reader never accepts a body Jackson rejects,
 * and where it answers, it builds what Jackson would build, less the pruned members
 * ({@code ReviewTreeReaderTest} compares the two on generated documents).
 */
final class ReviewTreeReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Jackson refuses member names above 50,000 characters; far beyond any Kubernetes name. */
    private static final int MAX_NAME_BYTES = 4096;
    private static final int MAX_INT_DIGITS = 18;

    /** Leaves the fast path; thrown without a stack trace, caught in {@link #read}. */
    private static final class NotCovered extends RuntimeException {
        NotCovered() {
            super(null, null, false, false);
        }
    }

    private static final NotCovered NOT_COVERED = new NotCovered();

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long SPACES = 0x2020202020202020L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    private final byte[] bytes;
    private final int end;
    private final int maxNesting;
    private int at;

    private ReviewTreeReader(byte[] bytes, int offset, int length, int maxNesting) {
        this.bytes = bytes;
        this.at = offset;
        this.end = offset + length;
        this.maxNesting = maxNesting;
    }

    /**
     * The body's top-level object without the pruned members, or null when the body is not covered here
     * (see the class comment) and must go to Jackson.
     */
    static ObjectNode read(byte[] bytes, int offset, int length, int maxNesting, JsonPruning pruning) {
        ReviewTreeReader reader = new ReviewTreeReader(bytes, offset, length, maxNesting);
        try {
            reader.whitespace();
            if (reader.at >= reader.end || bytes[reader.at] != '{') {
                return null;
            }
            ObjectNode root = reader.object(1, pruning);
            reader.whitespace();
            return reader.at == reader.end ? root : null;
        } catch (NotCovered e) {
            return null;
        }
    }

    private JsonNode value(int depth, JsonPruning pruning) {
        if (at >= end) {
            throw NOT_COVERED;
        }
        switch (bytes[at]) {
            case '{':
                return object(depth + 1, pruning);
            case '[':
                return array(depth + 1, pruning);
            case '"':
                at++;
                return text();
            case 't':
                literal("true");
                return BooleanNode.TRUE;
            case 'f':
                literal("false");
                return BooleanNode.FALSE;
            case 'n':
                literal("null");
                return NullNode.instance;
            default:
                return number();
        }
    }

    private ObjectNode object(int depth, JsonPruning pruning) {
        checkDepth(depth);
        at++;
        ObjectNode node = new ObjectNode(NODES, new MemberMap());
        whitespace();
        if (next() == '}') {
            at++;
            return node;
        }
        while (true) {
            expect('"');
            String name = memberName();
            colon();
            JsonPruning inner = pruning == null ? null : pruning.member(name);
            if (inner != null && inner.skipped()) {
                skipValue(depth);
            } else {
                node.replace(name, value(depth, inner));
            }
            whitespace();
            byte c = next();
            at++;
            if (c == '}') {
                return node;
            }
            if (c != ',') {
                throw NOT_COVERED;
            }
            whitespace();
        }
    }

    private ArrayNode array(int depth, JsonPruning pruning) {
        checkDepth(depth);
        at++;
        ArrayNode node = NODES.arrayNode();
        whitespace();
        if (next() == ']') {
            at++;
            return node;
        }
        // A pruning never skips array elements themselves (JsonPruning refuses that), only members in them.
        JsonPruning inner = pruning == null ? null : pruning.elements();
        while (true) {
            node.add(value(depth, inner));
            whitespace();
            byte c = next();
            at++;
            if (c == ']') {
                return node;
            }
            if (c != ',') {
                throw NOT_COVERED;
            }
            whitespace();
        }
    }

    /** Checks one value without building it. */
    private void skipValue(int depth) {
        switch (next()) {
            case '{' -> {
                checkDepth(depth + 1);
                at++;
                whitespace();
                if (next() == '}') {
                    at++;
                    return;
                }
                while (true) {
                    expect('"');
                    int start = at;
                    skipString();
                    if (at - start > MAX_NAME_BYTES) {
                        throw NOT_COVERED;
                    }
                    colon();
                    skipValue(depth + 1);
                    whitespace();
                    byte c = next();
                    at++;
                    if (c == '}') {
                        return;
                    }
                    if (c != ',') {
                        throw NOT_COVERED;
                    }
                    whitespace();
                }
            }
            case '[' -> {
                checkDepth(depth + 1);
                at++;
                whitespace();
                if (next() == ']') {
                    at++;
                    return;
                }
                while (true) {
                    skipValue(depth + 1);
                    whitespace();
                    byte c = next();
                    at++;
                    if (c == ']') {
                        return;
                    }
                    if (c != ',') {
                        throw NOT_COVERED;
                    }
                    whitespace();
                }
            }
            case '"' -> {
                at++;
                skipString();
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    /** A text value whose opening quote was consumed: the shared node when it is a known value. */
    private TextNode text() {
        int start = at;
        int length = plainLength();
        if (length < 0) {
            return TextNode.valueOf(string());
        }
        at++;
        TextNode known = KnownStrings.findText(bytes, start, length);
        return known != null ? known : TextNode.valueOf(new String(bytes, start, length, StandardCharsets.ISO_8859_1));
    }

    /**
     * A member name whose opening quote was consumed: the shared string when it is a known name. Longer
     * names than {@link #MAX_NAME_BYTES} are not covered.
     */
    private String memberName() {
        int start = at;
        int length = plainLength();
        if (length < 0) {
            String name = string();
            if (name.length() > MAX_NAME_BYTES) {
                throw NOT_COVERED;
            }
            return name;
        }
        if (length > MAX_NAME_BYTES) {
            throw NOT_COVERED;
        }
        at++;
        String known = KnownStrings.find(bytes, start, length);
        return known != null ? known : new String(bytes, start, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * The length of a string of plain ASCII from here to a closing quote, leaving {@code at} on that
     * quote; or -1, leaving {@code at} where it was, for escapes, the body's last few bytes or anything
     * to refuse, which {@link #string()} decides.
     */
    private int plainLength() {
        int start = at;
        skipPlain();
        if (at < end && bytes[at] == '"') {
            return at - start;
        }
        at = start;
        return -1;
    }

    /** A string whose opening quote was consumed; plain ASCII is copied as is, escapes are decoded. */
    private String string() {
        int start = at;
        skipPlain();
        while (at < end) {
            byte c = bytes[at];
            if (c == '"') {
                String s = new String(bytes, start, at - start, StandardCharsets.ISO_8859_1);
                at++;
                return s;
            }
            if (c == '\\') {
                return escapedString(start);
            }
            if (c < 0x20) {
                // A control character (JSON forbids it unescaped) or, as a negative byte, non-ASCII text.
                throw NOT_COVERED;
            }
            at++;
        }
        throw NOT_COVERED;
    }

    /**
     * Moves over printable ASCII without quotes or backslashes, eight bytes at a time, to the first byte
     * that ends such a run (or to the last few bytes of the body, which the caller looks at one by one).
     */
    private void skipPlain() {
        while (at + Long.BYTES <= end) {
            long stops = stops((long) LONGS.get(bytes, at));
            if (stops != 0) {
                at += Long.numberOfTrailingZeros(stops) >>> 3;
                return;
            }
            at += Long.BYTES;
        }
    }

    /**
     * The high bit of each byte of {@code w} that is a quote, a backslash, below 0x20 or above 0x7F. A
     * byte above a flagged one may be flagged wrongly (borrows carry upwards), so only the lowest flag,
     * the first such byte in the text, counts.
     */
    private static long stops(long w) {
        long quote = w ^ QUOTES;
        long backslash = w ^ BACKSLASHES;
        return ((quote - ONES) & ~quote | (backslash - ONES) & ~backslash | (w - SPACES) & ~w | w) & HIGH_BITS;
    }

    private String escapedString(int start) {
        StringBuilder s = new StringBuilder(at - start + 16);
        s.append(new String(bytes, start, at - start, StandardCharsets.ISO_8859_1));
        while (at < end) {
            byte c = bytes[at++];
            if (c == '"') {
                return s.toString();
            }
            if (c < 0x20) {
                throw NOT_COVERED;
            }
            if (c != '\\') {
                s.append((char) c);
                continue;
            }
            if (at >= end) {
                throw NOT_COVERED;
            }
            byte e = bytes[at++];
            switch (e) {
                case '"', '\\', '/' -> s.append((char) e);
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> s.append(hexChar());
                default -> throw NOT_COVERED;
            }
        }
        throw NOT_COVERED;
    }

    private char hexChar() {
        if (at + 4 > end) {
            throw NOT_COVERED;
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(bytes[at++], 16);
            if (digit < 0) {
                throw NOT_COVERED;
            }
            value = value << 4 | digit;
        }
        return (char) value;
    }

    /** Skips a string whose opening quote was consumed, checking its escapes. */
    private void skipString() {
        while (at < end) {
            skipPlain();
            if (at >= end) {
                break;
            }
            byte c = bytes[at++];
            if (c == '"') {
                return;
            }
            if (c < 0x20) {
                throw NOT_COVERED;
            }
            if (c == '\\') {
                if (at >= end) {
                    throw NOT_COVERED;
                }
                byte e = bytes[at++];
                switch (e) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                    }
                    case 'u' -> hexChar();
                    default -> throw NOT_COVERED;
                }
            }
        }
        throw NOT_COVERED;
    }

    /** An integer as Jackson types it: an int when it fits, else a long. */
    private JsonNode number() {
        boolean negative = next() == '-';
        if (negative) {
            at++;
        }
        int start = at;
        long value = 0;
        while (at < end) {
            byte c = bytes[at];
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
            at++;
        }
        int digits = at - start;
        if (digits == 0 || digits > MAX_INT_DIGITS || (digits > 1 && bytes[start] == '0')) {
            throw NOT_COVERED;
        }
        if (at < end) {
            byte c = bytes[at];
            if (c == '.' || c == 'e' || c == 'E') {
                throw NOT_COVERED;
            }
        }
        if (negative) {
            value = -value;
        }
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? IntNode.valueOf((int) value)
                : LongNode.valueOf(value);
    }

    private void literal(String word) {
        int n = word.length();
        if (at + n > end) {
            throw NOT_COVERED;
        }
        for (int i = 0; i < n; i++) {
            if (bytes[at + i] != word.charAt(i)) {
                throw NOT_COVERED;
            }
        }
        at += n;
    }

    private void checkDepth(int depth) {
        // At the limit Jackson's own check decides, and words the refusal.
        if (depth >= maxNesting) {
            throw NOT_COVERED;
        }
    }

    private byte next() {
        if (at >= end) {
            throw NOT_COVERED;
        }
        return bytes[at];
    }

    private void expect(char c) {
        if (next() != c) {
            throw NOT_COVERED;
        }
        at++;
    }

    /** The colon after a member name, with any whitespace around it; compact JSON has just the colon. */
    private void colon() {
        if (at + 1 < end && bytes[at] == ':' && bytes[at + 1] > ' ') {
            at++;
            return;
        }
        whitespace();
        expect(':');
        whitespace();
    }

    private void whitespace() {
        while (at < end) {
            byte c = bytes[at];
            // Compact JSON, as the API server sends it, has none: one comparison settles that.
            if (c > ' ' || (c != ' ' && c != '\n' && c != '\r' && c != '\t')) {
                return;
            }
            at++;
        }
    }
}
