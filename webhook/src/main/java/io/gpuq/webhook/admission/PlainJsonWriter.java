package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes compact JSON for the plain case only: strings of printable ASCII without quotes or
 * backslashes, objects, arrays, booleans, null, integers and binary values (as Base64 text). For those Jackson's output is fixed (no
 * escaping, no choices of number format), so this writes the very bytes Jackson would, without a
 * generator's per-call bookkeeping. Anything else (another character, another kind of number) makes
 * a write answer false, and the caller lets Jackson write the whole document, so no escaping or number
 * rule of Jackson's has to be reproduced here.
 *
 * <p>A writer from {@link #onScratch} writes into its thread's scratch buffer, so that answering a
 * review allocates only the bytes it returns; {@link #release} hands the buffer back for the thread's
 * next writer. A writer made while the buffer is lent out (one writer inside another) gets its own.
 */
public final class PlainJsonWriter {

    /** The standard Base64 alphabet, as Jackson's default variant writes binary values. */
    private static final byte[] BASE64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);
    /** A scratch buffer that grew past this is not kept: a rare huge answer should not pin its memory. */
    private static final int MAX_KEPT_BYTES = 64 * 1024;
    /** Each thread's scratch buffer; the slot is empty while a writer has it. */
    private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[][] {new byte[0]});
    /** Indexed by char: true for those written as they are (0x20 to 0x7e, less the quote and backslash). */
    private static final boolean[] PLAIN = new boolean[0x7f];

    static {
        for (char c = 0x20; c < 0x7f; c++) {
            PLAIN[c] = c != '"' && c != '\\';
        }
    }

    private byte[] buffer;
    private int length;
    /** Where the scratch buffer goes back to; null for a writer with a buffer of its own. */
    private byte[][] lender;

    public PlainJsonWriter(int capacity) {
        this.buffer = new byte[capacity];
    }

    private PlainJsonWriter(byte[] buffer, byte[][] lender) {
        this.buffer = buffer;
        this.lender = lender;
    }

    /** A writer on this thread's scratch buffer, grown to {@code capacity} if needed; {@link #release} it. */
    public static PlainJsonWriter onScratch(int capacity) {
        byte[][] slot = SCRATCH.get();
        byte[] scratch = slot[0];
        if (scratch == null) {
            // Lent to a writer further up this thread's stack.
            return new PlainJsonWriter(capacity);
        }
        slot[0] = null;
        return new PlainJsonWriter(scratch.length >= capacity ? scratch : new byte[capacity], slot);
    }

    /** Gives the scratch buffer back to the thread; the writer must not be used after this. */
    public void release() {
        if (lender != null) {
            lender[0] = buffer.length <= MAX_KEPT_BYTES ? buffer : new byte[0];
            lender = null;
            buffer = null;
        }
    }

    /** How many bytes were written. */
    public int length() {
        return length;
    }

    /**
     * The buffer written into, for a caller that copies the first {@link #length()} bytes out itself;
     * valid until the next write or {@link #release}.
     */
    public byte[] buffer() {
        return buffer;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    void raw(byte b) {
        ensure(1);
        buffer[length++] = b;
    }

    /** Bytes that are already JSON, such as a constant {@code "op":}. */
    void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    /** A quoted string; false when it holds a character that would need escaping or is not ASCII. */
    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): exact for ASCII, and a bulk copy
    boolean string(String text) {
        int n = text.length();
        if (!isPlain(text, n)) {
            return false;
        }
        ensure(n + 2);
        byte[] out = buffer;
        int at = length;
        out[at++] = '"';
        // Every char was checked to be ASCII, so the low bytes this copies are the UTF-8 bytes; a bulk
        // copy out of the string's own bytes, where copying char by char was a good part of writing.
        text.getBytes(0, n, out, at);
        at += n;
        out[at++] = '"';
        length = at;
        return true;
    }

    /** A pointer of the patch as a quoted string, escaped as it is written; false as for {@link #string}. */
    boolean pointer(Pointer pointer) {
        raw((byte) '"');
        if (!tokens(pointer)) {
            return false;
        }
        raw((byte) '"');
        return true;
    }

    /** The reference tokens of a pointer, each after a slash, from the root down. */
    @SuppressWarnings("deprecation") // as in string()
    private boolean tokens(Pointer pointer) {
        String text = pointer.text();
        if (text != null) {
            int n = text.length();
            if (!isPlain(text, n)) {
                return false;
            }
            ensure(n);
            text.getBytes(0, n, buffer, length);
            length += n;
            return true;
        }
        if (!tokens(pointer.parent())) {
            return false;
        }
        String token = pointer.token();
        if (token == null) {
            // An int has at most 10 digits.
            ensure(11);
            buffer[length++] = '/';
            length = digits(pointer.index(), buffer, length);
            return true;
        }
        int n = token.length();
        // At most two bytes per char, when every one is escaped.
        ensure(2 * n + 1);
        byte[] out = buffer;
        int at = length;
        out[at++] = '/';
        // Checked as it is escaped: one pass over the token rather than two.
        for (int i = 0; i < n; i++) {
            char c = token.charAt(i);
            if (c >= PLAIN.length || !PLAIN[c]) {
                return false;
            }
            if (c == '~' || c == '/') {
                out[at++] = '~';
                out[at++] = (byte) (c == '~' ? '0' : '1');
            } else {
                out[at++] = (byte) c;
            }
        }
        length = at;
        return true;
    }

    /** Printable ASCII other than a quote or a backslash: what Jackson writes as it is. */
    private static boolean isPlain(String text, int n) {
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= PLAIN.length || !PLAIN[c]) {
                return false;
            }
        }
        return true;
    }

    /** The decimal digits of a non-negative int at {@code at}; the index after them. */
    private static int digits(int value, byte[] out, int at) {
        int end = at + 1;
        for (int rest = value / 10; rest > 0; rest /= 10) {
            end++;
        }
        int i = end;
        int rest = value;
        do {
            out[--i] = (byte) ('0' + rest % 10);
            rest /= 10;
        } while (rest > 0);
        return end;
    }

    /** A tree; false when it holds anything outside the plain case. */
    public boolean value(JsonNode node) {
        if (node instanceof TextNode) {
            return string(node.textValue());
        }
        if (node instanceof ObjectNode) {
            raw((byte) '{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                if (!first) {
                    raw((byte) ',');
                }
                first = false;
                if (!string(member.getKey())) {
                    return false;
                }
                raw((byte) ':');
                if (!value(member.getValue())) {
                    return false;
                }
            }
            raw((byte) '}');
            return true;
        }
        if (node instanceof ArrayNode) {
            raw((byte) '[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    raw((byte) ',');
                }
                if (!value(node.get(i))) {
                    return false;
                }
            }
            raw((byte) ']');
            return true;
        }
        if (node instanceof BinaryNode) {
            base64(((BinaryNode) node).binaryValue());
            return true;
        }
        if (node instanceof BooleanNode || node instanceof NullNode || node instanceof IntNode
                || node instanceof LongNode) {
            // Jackson writes these as true, false, null and the decimal digits of the number.
            raw(node.asText().getBytes(StandardCharsets.US_ASCII));
            return true;
        }
        return false;
    }

    /** Jackson's default Base64 as a quoted string: the standard alphabet, padded, on one line. */
    private void base64(byte[] data) {
        int n = data.length;
        ensure(4 * ((n + 2) / 3) + 2);
        byte[] out = buffer;
        int at = length;
        out[at++] = '"';
        int i = 0;
        for (; i + 3 <= n; i += 3) {
            int bits = (data[i] & 0xff) << 16 | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff);
            out[at++] = BASE64[bits >>> 18];
            out[at++] = BASE64[(bits >>> 12) & 0x3f];
            out[at++] = BASE64[(bits >>> 6) & 0x3f];
            out[at++] = BASE64[bits & 0x3f];
        }
        if (i < n) {
            int bits = (data[i] & 0xff) << 16 | (i + 1 < n ? (data[i + 1] & 0xff) << 8 : 0);
            out[at++] = BASE64[bits >>> 18];
            out[at++] = BASE64[(bits >>> 12) & 0x3f];
            out[at++] = i + 1 < n ? BASE64[(bits >>> 6) & 0x3f] : (byte) '=';
            out[at++] = '=';
        }
        out[at++] = '"';
        length = at;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
