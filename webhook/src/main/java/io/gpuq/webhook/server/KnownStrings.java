package io.gpuq.webhook.server;

import com.fasterxml.jackson.databind.node.TextNode;
import io.gpuq.webhook.admission.JsonVocabulary;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The words of {@link JsonVocabulary} (a pod AdmissionReview's member names and its commonest text
 * values), each as one shared string (and, for values, one shared text node), found from the bytes of a
 * body without making a string. A review has a hundred or so member names, nearly all of them from this
 * vocabulary, and many of its values are API constants ("v1", "Pod", "CREATE", "IfNotPresent"). Reading
 * them allocates nothing, their hash codes are computed once for the whole process, and the rules' own
 * look-ups by the same names compare identical strings. Other text is read into new strings as before.
 */
final class KnownStrings {

    private static final int SLOT_BITS = 10;
    private static final int SLOTS = 1 << SLOT_BITS;
    private static final int MASK = SLOTS - 1;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Per slot: the text's length, or -1 for an empty slot. */
    private static final int[] LENGTHS = new int[SLOTS];
    /** Per slot: the text's first eight bytes and its last eight, zero-padded below eight bytes. */
    private static final long[] HEADS = new long[SLOTS];
    private static final long[] TAILS = new long[SLOTS];
    private static final byte[][] BYTES = new byte[SLOTS][];
    private static final String[] STRINGS = new String[SLOTS];
    private static final TextNode[] TEXTS = new TextNode[SLOTS];
    /** The longest name in the vocabulary; longer ones are not looked up. */
    private static final int LONGEST;

    static {
        Arrays.fill(LENGTHS, -1);
        int longest = 0;
        for (String name : JsonVocabulary.words()) {
            byte[] b = name.getBytes(StandardCharsets.US_ASCII);
            long head = head(b, 0, b.length);
            long tail = tail(b, 0, b.length);
            int slot = slot(head, tail, b.length);
            while (STRINGS[slot] != null && !STRINGS[slot].equals(name)) {
                slot = (slot + 1) & MASK;
            }
            LENGTHS[slot] = b.length;
            HEADS[slot] = head;
            TAILS[slot] = tail;
            BYTES[slot] = b;
            // The table's strings carry their hash code from here on.
            name.hashCode();
            STRINGS[slot] = name;
            TEXTS[slot] = TextNode.valueOf(name);
            longest = Math.max(longest, b.length);
        }
        LONGEST = longest;
    }

    private KnownStrings() {
    }

    /**
     * The shared string for the ASCII text in {@code bytes[start, start + length)}, or null when it is not
     * in the vocabulary.
     */
    static String find(byte[] bytes, int start, int length) {
        int slot = slot(bytes, start, length);
        return slot < 0 ? null : STRINGS[slot];
    }

    /** The shared text node for that text, or null when it is not in the vocabulary. */
    static TextNode findText(byte[] bytes, int start, int length) {
        int slot = slot(bytes, start, length);
        return slot < 0 ? null : TEXTS[slot];
    }

    /*
     * A text is keyed by its length and its first and last eight bytes, read as two longs: hashing and
     * comparing it costs the same for every length, and up to 16 bytes the key is the whole text. Only
     * longer texts that match the key are compared byte by byte, in their middle.
     */
    private static int slot(byte[] bytes, int start, int length) {
        if (length > LONGEST) {
            return -1;
        }
        long head = head(bytes, start, length);
        long tail = tail(bytes, start, length);
        int slot = slot(head, tail, length);
        while (true) {
            int candidate = LENGTHS[slot];
            if (candidate < 0) {
                return -1;
            }
            if (candidate == length && HEADS[slot] == head && TAILS[slot] == tail
                    && (length <= 2 * Long.BYTES || Arrays.equals(BYTES[slot], Long.BYTES, length - Long.BYTES,
                            bytes, start + Long.BYTES, start + length - Long.BYTES))) {
                return slot;
            }
            slot = (slot + 1) & MASK;
        }
    }

    /** The first eight bytes of the text, or all of a shorter one, zero-padded. */
    private static long head(byte[] bytes, int start, int length) {
        if (length >= Long.BYTES) {
            return (long) LONGS.get(bytes, start);
        }
        if (start + Long.BYTES <= bytes.length) {
            // Reads past the text, within the array, and keeps only the text's bytes.
            return (long) LONGS.get(bytes, start) & ((1L << (length << 3)) - 1);
        }
        long word = 0;
        for (int i = length - 1; i >= 0; i--) {
            word = word << 8 | (bytes[start + i] & 0xff);
        }
        return word;
    }

    /** The last eight bytes of a text of more than eight, else zero: the head holds all of a short one. */
    private static long tail(byte[] bytes, int start, int length) {
        return length > Long.BYTES ? (long) LONGS.get(bytes, start + length - Long.BYTES) : 0L;
    }

    private static int slot(long head, long tail, int length) {
        // One multiplication: the probe is on the reader's critical path, and a rare collision costs a probe.
        long h = (head ^ Long.rotateLeft(tail, 29) ^ length) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> (Long.SIZE - SLOT_BITS));
    }
}
