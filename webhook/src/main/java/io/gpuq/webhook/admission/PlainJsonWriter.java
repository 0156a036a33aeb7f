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
import java.util.Base64;
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

    /** Standard alphabet, padded, no line breaks: Jackson's default variant for binary values. */
    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    /** A scratch buffer that grew past this is not kept: a rare huge answer should not pin its memory. */
    private static final int MAX_KEPT_BYTES = 64 * 1024;
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    /** From this length on, a string is checked in bulk. */
    private static final int BULK_CHARS = 16;
    /** Each thread's scratch; {@code lent} while a writer has it. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Indexed by char: true for those written as they are (0x20 to 0x7e, less the quote and backslash). */
    private static final boolean[] PLAIN = new boolean[0x7f];

    static {
        for (char c = 0x20; c < 0x7f; c++) {
            PLAIN[c] = c != '"' && c != '\\';
        }
    }

    /*
     * The words of the vocabulary, encoded once: as a quoted JSON string and as a pointer's reference
     * token after its slash. A string is looked up by identity, which its cached hash code finds in one
     * or two probes: the words are string constants, one instance each, and the reader shares them.
     */
    private static final int WORD_SLOT_BITS = 10;
    private static final int WORD_MASK = (1 << WORD_SLOT_BITS) - 1;
    private static final String[] WORDS = new String[1 << WORD_SLOT_BITS];
    private static final byte[][] QUOTED_WORDS = new byte[1 << WORD_SLOT_BITS][];
    private static final byte[][] TOKEN_WORDS = new byte[1 << WORD_SLOT_BITS][];

    static {
        for (String word : JsonVocabulary.words()) {
            if (!isPlain(word, word.length())) {
                continue;
            }
            int slot = wordSlot(word);
            while (WORDS[slot] != null) {
                slot = (slot + 1) & WORD_MASK;
            }
            WORDS[slot] = word;
            QUOTED_WORDS[slot] = ("\"" + word + "\"").getBytes(StandardCharsets.US_ASCII);
            TOKEN_WORDS[slot] = ("/" + JsonPatchDiff.escape(word)).getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** A thread's buffers: the bytes written, the chars of a string being written, Base64 on its way. */
    private static final class Scratch {
        byte[] bytes = new byte[0];
        char[] chars = new char[64];
        byte[] base64 = new byte[0];
        boolean lent;
    }

    private byte[] buffer;
    private int length;
    /** The thread's scratch this writer uses; a writer of its own has one of its own. */
    private final Scratch scratch;

    public PlainJsonWriter(int capacity) {
        this.buffer = new byte[capacity];
        this.scratch = new Scratch();
    }

    private PlainJsonWriter(byte[] buffer, Scratch scratch) {
        this.buffer = buffer;
        this.scratch = scratch;
    }

    /** A writer on this thread's scratch buffer, grown to {@code capacity} if needed; {@link #release} it. */
    public static PlainJsonWriter onScratch(int capacity) {
        Scratch scratch = SCRATCH.get();
        if (scratch.lent) {
            // Lent to a writer further up this thread's stack.
            return new PlainJsonWriter(capacity);
        }
        scratch.lent = true;
        byte[] bytes = scratch.bytes;
        return new PlainJsonWriter(bytes.length >= capacity ? bytes : new byte[capacity], scratch);
    }

    /** Gives the scratch buffer back to the thread; the writer must not be used after this. */
    public void release() {
        if (scratch.lent) {
            scratch.bytes = buffer.length <= MAX_KEPT_BYTES ? buffer : new byte[0];
            scratch.lent = false;
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
    boolean string(String text) {
        int word = word(text);
        if (word >= 0) {
            raw(QUOTED_WORDS[word]);
            return true;
        }
        int n = text.length();
        if (n < BULK_CHARS) {
            return shortString(text, n);
        }
        ensure(n + 2);
        byte[] out = buffer;
        int at = length;
        out[at++] = '"';
        // The chars are copied out in bulk and then checked and narrowed in one loop without branches,
        // which the JIT turns into vector instructions: char by char with an early exit was a good part
        // of writing.
        char[] chars = chars(n);
        text.getChars(0, n, chars, 0);
        int bad = 0;
        for (int i = 0; i < n; i++) {
            int c = chars[i];
            // Negative exactly when c is outside 0x20..0x7e or is a quote or a backslash.
            bad |= (c - 0x20) | (0x7e - c) | ((c ^ '"') - 1) | ((c ^ '\\') - 1);
            out[at + i] = (byte) c;
        }
        if (bad < 0) {
            return false;
        }
        at += n;
        out[at++] = '"';
        length = at;
        return true;
    }

    /** {@link #string} for a few chars, where a bulk copy costs more than it saves. */
    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): exact for ASCII, and a bulk copy
    private boolean shortString(String text, int n) {
        if (!isPlain(text, n)) {
            return false;
        }
        ensure(n + 2);
        byte[] out = buffer;
        int at = length;
        out[at++] = '"';
        // Every char was checked to be ASCII, so the low bytes this copies are the UTF-8 bytes.
        text.getBytes(0, n, out, at);
        at += n;
        out[at++] = '"';
        length = at;
        return true;
    }

    /** The scratch's char buffer, at least {@code n} long. */
    private char[] chars(int n) {
        char[] chars = scratch.chars;
        if (chars.length < n) {
            chars = new char[Math.max(n, 2 * chars.length)];
            if (chars.length <= MAX_KEPT_BYTES) {
                scratch.chars = chars;
            }
        }
        return chars;
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
        int word = token == null ? -1 : word(token);
        if (word >= 0) {
            raw(TOKEN_WORDS[word]);
            return true;
        }
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

    /** The slot of this very string among the words, or -1 when it is not one of them. */
    private static int word(String text) {
        int slot = wordSlot(text);
        String word;
        while ((word = WORDS[slot]) != null) {
            if (word == text) {
                return slot;
            }
            slot = (slot + 1) & WORD_MASK;
        }
        return -1;
    }

    private static int wordSlot(String text) {
        int h = text.hashCode() * 0x9E3779B9;
        return h >>> (Integer.SIZE - WORD_SLOT_BITS);
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

    /** The decimal digits of a non-negative number at {@code at}; the index after them. */
    private static int digits(long value, byte[] out, int at) {
        int end = at + 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            end++;
        }
        int i = end;
        long rest = value;
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
        if (node instanceof IntNode || node instanceof LongNode) {
            // Jackson writes the decimal digits, with a minus sign for a negative number.
            long value = node.longValue();
            if (value < 0) {
                raw(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
                return true;
            }
            ensure(19);
            length = digits(value, buffer, length);
            return true;
        }
        if (node instanceof BooleanNode) {
            raw(node.booleanValue() ? TRUE : FALSE);
            return true;
        }
        if (node instanceof NullNode) {
            raw(NULL);
            return true;
        }
        return false;
    }

    /**
     * Jackson's default Base64 as a quoted string: the standard alphabet, padded, on one line, which is
     * what the JDK's encoder writes. Its bulk encoder is many times faster than a loop here, but writes
     * only from the start of an array: it writes into the scratch's Base64 buffer, copied from there.
     */
    private void base64(byte[] data) {
        int encoded = 4 * ((data.length + 2) / 3);
        ensure(encoded + 2);
        byte[] text = scratch.base64.length >= encoded ? scratch.base64 : new byte[encoded];
        int written = BASE64.encode(data, text);
        if (text.length <= MAX_KEPT_BYTES) {
            scratch.base64 = text;
        }
        buffer[length++] = '"';
        System.arraycopy(text, 0, buffer, length, written);
        length += written;
        buffer[length++] = '"';
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
