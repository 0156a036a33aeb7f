package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The members of an object the draft copied, in insertion order like the map Jackson gives an object,
 * held in two arrays. A copy is then one pass of reference copies, where a linked hash map hashed each
 * name and allocated an entry for it; copying the objects on the way to each write was the largest
 * single cost of mutating a pod.
 *
 * <p>Objects of a pod have a handful to a few dozen members and a step looks up a few of them, so a
 * linear search over the names' cached hash codes costs less than a hash map's buckets and entries.
 */
final class DraftMembers extends AbstractMap<String, JsonNode> {

    private static final int MIN_CAPACITY = 4;

    private String[] keys;
    /** The names' hash codes, which strings cache, so a search compares ints before any text. */
    private int[] hashes;
    private JsonNode[] values;
    private int size;
    /** The object this copies, or null for a new one. */
    private final ObjectNode source;
    /** How many members came from the source; they are the first ones until one is removed. */
    private final int copied;
    /**
     * The source's values of the copied members, kept from the first time one is replaced; null while
     * none was, as in most copies, which only gain members.
     */
    private JsonNode[] originals;
    /** Whether a member was removed, so the copied ones may have moved. */
    private boolean removed;
    /** Counts structural changes, so an iterator fails fast as the JDK's maps' do. */
    private int changes;

    /** The members of {@code source}, with room for {@code spare} more. */
    DraftMembers(ObjectNode source, int spare) {
        int capacity = source.size() + spare;
        keys = new String[capacity];
        hashes = new int[capacity];
        values = new JsonNode[capacity];
        // Through forEachEntry, which the reader's and the draft's own maps serve without an entry object
        // per member.
        source.forEachEntry(this::copy);
        this.source = source;
        this.copied = size;
    }

    private void copy(String key, JsonNode value) {
        keys[size] = key;
        hashes[size] = key.hashCode();
        values[size++] = value;
    }

    /** No members yet, room for {@code capacity}. */
    DraftMembers(int capacity) {
        keys = new String[capacity];
        hashes = new int[capacity];
        values = new JsonNode[capacity];
        this.source = null;
        this.copied = 0;
    }

    /**
     * Whether this is a copy of {@code from} that has only had members replaced or added, so its first
     * {@link #copied()} members are the source's, in its order, and the rest were added after them.
     */
    boolean onlyGrewFrom(JsonNode from) {
        return source == from && !removed && from.size() == copied;
    }

    int copied() {
        return copied;
    }

    String key(int index) {
        return keys[index];
    }

    JsonNode value(int index) {
        return values[index];
    }

    /** The source's value of a copied member, as it was before any write. */
    JsonNode original(int index) {
        return originals == null ? values[index] : originals[index];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public JsonNode get(Object key) {
        int at = indexOf(key);
        return at < 0 ? null : values[at];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    /** Replaces a member in its place, as a linked hash map does, or appends a new one. */
    @Override
    public JsonNode put(String key, JsonNode value) {
        int at = indexOf(key);
        if (at >= 0) {
            if (at < copied && originals == null) {
                originals = Arrays.copyOf(values, copied);
            }
            JsonNode old = values[at];
            values[at] = value;
            return old;
        }
        if (size == keys.length) {
            int capacity = Math.max(MIN_CAPACITY, size * 2);
            keys = Arrays.copyOf(keys, capacity);
            hashes = Arrays.copyOf(hashes, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        keys[size] = key;
        hashes[size] = key.hashCode();
        values[size++] = value;
        changes++;
        return null;
    }

    @Override
    public JsonNode remove(Object key) {
        int at = indexOf(key);
        if (at < 0) {
            return null;
        }
        JsonNode old = values[at];
        removeAt(at);
        return old;
    }

    @Override
    public void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
        removed = true;
        changes++;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super JsonNode> action) {
        int expected = changes;
        for (int i = 0; i < size; i++) {
            action.accept(keys[i], values[i]);
            if (changes != expected) {
                throw new ConcurrentModificationException();
            }
        }
    }

    @Override
    public Set<Map.Entry<String, JsonNode>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<String, JsonNode>> iterator() {
                return new Members();
            }
        };
    }

    private int indexOf(Object key) {
        if (!(key instanceof String name)) {
            return -1;
        }
        int hash = name.hashCode();
        String[] names = keys;
        int[] codes = hashes;
        for (int i = 0; i < size; i++) {
            if (codes[i] == hash && (names[i] == name || name.equals(names[i]))) {
                return i;
            }
        }
        return -1;
    }

    private void removeAt(int at) {
        removed = true;
        int moved = size - at - 1;
        System.arraycopy(keys, at + 1, keys, at, moved);
        System.arraycopy(hashes, at + 1, hashes, at, moved);
        System.arraycopy(values, at + 1, values, at, moved);
        size--;
        keys[size] = null;
        values[size] = null;
        changes++;
    }

    /** Iterates snapshots of the members; {@code setValue} is not supported, as on an object's properties. */
    private final class Members implements Iterator<Map.Entry<String, JsonNode>> {

        private int next;
        private int last = -1;
        private int expected = changes;

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public Map.Entry<String, JsonNode> next() {
            if (expected != changes) {
                throw new ConcurrentModificationException();
            }
            if (next >= size) {
                throw new NoSuchElementException();
            }
            last = next++;
            return new SimpleImmutableEntry<>(keys[last], values[last]);
        }

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException();
            }
            if (expected != changes) {
                throw new ConcurrentModificationException();
            }
            removeAt(last);
            next = last;
            last = -1;
            expected = changes;
        }
    }
}
