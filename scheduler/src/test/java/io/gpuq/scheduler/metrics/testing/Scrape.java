package io.gpuq.scheduler.metrics.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One scrape in the Prometheus text format, parsed into samples so tests can look values up by labels. */
public final class Scrape {

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Set<String> typed = new LinkedHashSet<>();
    private final String text;

    private Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                typed.add(line.split(" ")[2]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(parse(line));
            }
        }
    }

    /**
     * HTTP/1.1 only: for plain http the JDK client otherwise asks to upgrade the connection to HTTP/2,
     * and a send on an upgrade that went wrong waits forever; the timeout bounds any other hang.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static Scrape of(String text) {
        return new Scrape(text);
    }

    /** GETs {@code uri} and parses the body; fails unless the answer is 200 in the text format. */
    public static Scrape get(URI uri) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("GET " + uri + " answered " + r.statusCode() + ": " + r.body());
            }
            String type = r.headers().firstValue("content-type").orElse("");
            if (!type.startsWith("text/plain; version=0.0.4")) {
                throw new AssertionError("GET " + uri + " answered content type " + type);
            }
            return new Scrape(r.body());
        } catch (Exception e) {
            throw new AssertionError("GET " + uri + " failed: " + e, e);
        }
    }

    public String text() {
        return text;
    }

    /** Families named in {@code # TYPE} lines (counters under their {@code _total} name, as written). */
    public Set<String> families() {
        return typed;
    }

    public List<Sample> all() {
        return List.copyOf(samples);
    }

    public List<Sample> samples(String name) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name().equals(name)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The samples of {@code name} whose labels include every given pair. */
    public List<Sample> samples(String name, String... labelPairs) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples(name)) {
            boolean all = true;
            for (int i = 0; i < labelPairs.length && all; i += 2) {
                all = labelPairs[i + 1].equals(s.labels().get(labelPairs[i]));
            }
            if (all) {
                out.add(s);
            }
        }
        return out;
    }

    /** The one sample of {@code name} with these labels; fails when there is none or several. */
    public double value(String name, String... labelPairs) {
        List<Sample> found = samples(name, labelPairs);
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + " " + List.of(labelPairs) + ", found " + found);
        }
        return found.get(0).value();
    }

    /** Σ of the samples of {@code name} with these labels. */
    public double sum(String name, String... labelPairs) {
        double s = 0;
        for (Sample x : samples(name, labelPairs)) {
            s += x.value();
        }
        return s;
    }

    private static Sample parse(String line) {
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        if (brace < 0 || brace > space) {
            name = line.substring(0, line.indexOf(' '));
        } else {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq);
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        value.append(n == 'n' ? '\n' : n);
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
        }
        String v = line.substring(space + 1);
        double value = switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
        return new Sample(name, labels, value);
    }
}
