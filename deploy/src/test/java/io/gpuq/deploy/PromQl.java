package io.gpuq.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Enough PromQL lexing to list the metric names an expression reads: strings, label matchers, label
 * lists of aggregations and matching, ranges and Grafana variables are removed, then every identifier
 * that is not a keyword or a function call is a metric name.
 */
final class PromQl {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");
    private static final Pattern LABEL_LISTS = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:.])([A-Za-z_:][A-Za-z0-9_:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "inf", "nan", "Inf", "NaN", "atan2", "start", "end");

    private PromQl() {
    }

    /** Metric names read by an expression (Grafana's $variables allowed). */
    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = VARIABLE.matcher(s).replaceAll("1");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = RANGE.matcher(s).replaceAll(" ");
        s = LABEL_LISTS.matcher(s).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String word = m.group(1);
            boolean call = m.group(2) != null;
            if (!call && !KEYWORDS.contains(word) && !isDurationOrNumber(s, m.start(1))) {
                names.add(word);
            }
        }
        return names;
    }

    /** Identifiers directly after a digit are units of numbers or durations (1e3, 5m). */
    private static boolean isDurationOrNumber(String s, int start) {
        return start > 0 && Character.isDigit(s.charAt(start - 1));
    }

    /**
     * The metric family a series name belongs to: the name itself, or for {@code _bucket}, {@code _count}
     * and {@code _sum} the histogram it comes from when {@code families} knows that one.
     */
    static String family(String name, Set<String> families) {
        if (families.contains(name)) {
            return name;
        }
        for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
            if (name.endsWith(suffix) && families.contains(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }
}
