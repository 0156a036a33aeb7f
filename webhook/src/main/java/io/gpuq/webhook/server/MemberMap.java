package io.gpuq.webhook.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The members of one object of a review tree, in document order, as {@link ReviewTreeReader} builds it.
 * Nearly every object of a pod has a handful of members; two small arrays hold them in a fraction of
 * the memory of a hash table with an entry per member, and a look-up among a handful of names, which
 * {@link KnownStrings} mostly makes the very strings asked for, is a few comparisons. Past
 * {@link #LINEAR} members the map moves its contents into a {@link LinkedHashMap} and works through it
 * from then on, so a large object (a pod with hundreds of labels) costs what it costs in Jackson.
 *
 * <p>A full, mutable {@link java.util.Map}: Jackson's {@code ObjectNode} reads, iterates, compares,
 * copies and edits its members only through that interface. Like the rest of a review tree, it belongs
 * to one request.
 */
final class MemberMap extends AbstractMap<String, JsonNode> {
    static final int LINEAR = 8;
    /** Most objects of a pod (a resource list, a toleration, an env entry) have four members or fewer. */
    private static final int FIRST = 4;

    private String[] names = new String[FIRST];
    private JsonNode[] values = new JsonNode[FIRST];
    private int size;
    /** The contents once they outgrew the arrays; from then on the arrays are gone. */
    private LinkedHashMap<String, JsonNode> hashed;
    /** Counts structural changes, so that an iterator notices one made around it. */
    private int changes;

    @Override
    public int size() {
        return hashed != null ? hashed.size() : size;
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    private int indexOf(Object name) {
        return name == null ? -1 : indexOf(name, name.hashCode());
    }

    /**
     * Compares hash codes before text: strings cache theirs, and the names, mostly the reader's shared
     * vocabulary, had theirs computed long before. An array of them would cost an allocation per object.
     */
    private int indexOf(Object name, int hash) {
        for (int i = 0; i < size; i++) {
            String n = names[i];
            if (n == name || (n.hashCode() == hash && n.equals(name))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean containsKey(Object name) {
        return hashed != null ? hashed.containsKey(name) : indexOf(name) >= 0;
    }

    @Override
    public JsonNode get(Object name) {
        if (hashed != null) {
            return hashed.get(name);
        }
        int i = indexOf(name);
        return i < 0 ? null : values[i];
    }

    @Override
    public JsonNode put(String name, JsonNode value) {
        Objects.requireNonNull(name, "member name");
        if (hashed != null) {
            return hashed.put(name, value);
        }
        int hash = name.hashCode();
        int i = indexOf(name, hash);
        if (i >= 0) {
            JsonNode old = values[i];
            values[i] = value;
            return old;
        }
        changes++;
        if (size == LINEAR) {
            hashed = new LinkedHashMap<>(LINEAR * 4);
            for (int j = 0; j < size; j++) {
                hashed.put(names[j], values[j]);
            }
            names = null;
            values = null;
            size = 0;
            return hashed.put(name, value);
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, LINEAR);
            values = Arrays.copyOf(values, LINEAR);
        }
        names[size] = name;
        values[size] = value;
        size++;
        return null;
    }

    @Override
    public JsonNode remove(Object name) {
        if (hashed != null) {
            return hashed.remove(name);
        }
        int i = indexOf(name);
        if (i < 0) {
            return null;
        }
        JsonNode old = values[i];
        removeAt(i);
        return old;
    }

    private void removeAt(int i) {
        int after = size - i - 1;
        System.arraycopy(names, i + 1, names, i, after);
        System.arraycopy(values, i + 1, values, i, after);
        size--;
        names[size] = null;
        values[size] = null;
        changes++;
    }

    @Override
    public void clear() {
        if (hashed != null) {
            hashed.clear();
            return;
        }
        for (int i = 0; i < size; i++) {
            names[i] = null;
            values[i] = null;
        }
        size = 0;
        changes++;
    }

    /** In order, without an entry per member: copying an object goes through here. */
    @Override
    public void forEach(BiConsumer<? super String, ? super JsonNode> action) {
        if (hashed != null) {
            hashed.forEach(action);
            return;
        }
        int expected = changes;
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
            if (changes != expected || hashed != null) {
                throw new ConcurrentModificationException();
            }
        }
    }

    @Override
    public Set<Entry<String, JsonNode>> entrySet() {
        return new Entries();
    }

    private final class Entries extends AbstractSet<Entry<String, JsonNode>> {
        @Override
        public int size() {
            return MemberMap.this.size();
        }

        @Override
        public void clear() {
            MemberMap.this.clear();
        }

        @Override
        public Iterator<Entry<String, JsonNode>> iterator() {
            return hashed != null ? hashed.entrySet().iterator() : new Members();
        }
    }

    /** Walks the arrays in order; removing through it is allowed, as in a LinkedHashMap. */
    private final class Members implements Iterator<Entry<String, JsonNode>> {
        private int next;
        private int last = -1;
        private int expected = changes;

        @Override
        public boolean hasNext() {
            return next < size();
        }

        @Override
        public Entry<String, JsonNode> next() {
            if (expected != changes || hashed != null) {
                throw new ConcurrentModificationException();
            }
            if (next >= size) {
                throw new NoSuchElementException();
            }
            last = next++;
            return new Member(last);
        }

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException("remove() without a next() before it");
            }
            if (expected != changes || hashed != null) {
                throw new ConcurrentModificationException();
            }
            removeAt(last);
            next = last;
            last = -1;
            expected = changes;
        }
    }

    /** One member; reading and setting its value go to the map, wherever the member is now. */
    private final class Member implements Entry<String, JsonNode> {
        private final int index;
        private final String name;

        Member(int index) {
            this.index = index;
            this.name = names[index];
        }

        @Override
        public String getKey() {
            return name;
        }

        @Override
        public JsonNode getValue() {
            return hashed != null ? hashed.get(name) : values[slot()];
        }

        @Override
        public JsonNode setValue(JsonNode value) {
            if (hashed != null) {
                return hashed.put(name, value);
            }
            int i = slot();
            JsonNode old = values[i];
            values[i] = value;
            return old;
        }

        /** Where the member is now: a removal through the iterator may have moved it down. */
        private int slot() {
            if (index < size && names[index] == name) {
                return index;
            }
            int i = indexOf(name);
            if (i < 0) {
                throw new IllegalStateException("member '" + name + "' is no longer in the map");
            }
            return i;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry<?, ?> e && name.equals(e.getKey()) && Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return name.hashCode() ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return name + "=" + getValue();
        }
    }
}
