package io.gpuq.scheduler.packing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Parses seed lists as the command line takes them: {@code 42-51}, {@code 7}, {@code 1,5,9-11}. */
public final class Seeds {
    private static final int MAX_SEEDS = 1000;

    private Seeds() {
    }

    /** @throws IllegalArgumentException naming the bad part and the accepted forms */
    public static List<Long> parse(String text) {
        Set<Long> out = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            String p = part.strip();
            int dash = p.indexOf('-', 1);
            try {
                if (dash < 0) {
                    out.add(Long.parseLong(p));
                } else {
                    long from = Long.parseLong(p.substring(0, dash).strip());
                    long to = Long.parseLong(p.substring(dash + 1).strip());
                    if (to < from) {
                        throw bad(text, p, "the range ends before it starts");
                    }
                    if (to - from >= MAX_SEEDS) {
                        throw bad(text, p, "at most " + MAX_SEEDS + " seeds");
                    }
                    for (long s = from; s <= to; s++) {
                        out.add(s);
                    }
                }
            } catch (NumberFormatException e) {
                throw bad(text, p, "not a whole number");
            }
            if (out.size() > MAX_SEEDS) {
                throw bad(text, p, "at most " + MAX_SEEDS + " seeds");
            }
        }
        return new ArrayList<>(out);
    }

    private static IllegalArgumentException bad(String text, String part, String why) {
        return new IllegalArgumentException("invalid seeds '" + text + "' at '" + part + "': " + why
                + "; use a seed (42), a range (42-51) or a comma-separated list of them (1,5,9-11)");
    }
}
