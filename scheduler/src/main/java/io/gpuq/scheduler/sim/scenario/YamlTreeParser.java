package io.gpuq.scheduler.sim.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML text into a {@link YamlNode} tree that keeps line, column and field path for every value.
 * Jackson's own tree drops locations, and data binding reports them only for syntax errors, so the
 * tree is built from the token stream instead. Duplicate keys, which YAML forbids but Jackson would
 * silently overwrite, are rejected here.
 */
final class YamlTreeParser {

    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private final String source;

    YamlTreeParser(String source) {
        this.source = source;
    }

    YamlNode parse(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ScenarioException(source + ": the file is empty; a scenario needs at least "
                        + "'nodes' and 'projects'");
            }
            YamlNode root = read(p, "");
            JsonToken extra = p.nextToken();
            if (extra != null) {
                JsonLocation at = p.currentTokenLocation();
                throw ScenarioException.at(source, at.getLineNr(), at.getColumnNr(), "",
                        "more than one YAML document; a scenario is a single document");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new ScenarioException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    private YamlNode read(JsonParser p, String path) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT:
                return readMap(p, path, line, column);
            case START_ARRAY:
                return readList(p, path, line, column);
            case VALUE_NUMBER_INT:
                return new YamlScalar(path, line, column, new BigDecimal(p.getBigIntegerValue()), p.getText());
            case VALUE_NUMBER_FLOAT:
                return new YamlScalar(path, line, column, p.getDecimalValue(), p.getText());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new YamlScalar(path, line, column, t == JsonToken.VALUE_TRUE, p.getText());
            case VALUE_NULL:
                return new YamlScalar(path, line, column, null, "null");
            default:
                return new YamlScalar(path, line, column, p.getText(), p.getText());
        }
    }

    private YamlMap readMap(JsonParser p, String path, int line, int column) throws IOException {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        Map<String, int[]> keyMarks = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonLocation keyAt = p.currentTokenLocation();
            String childPath = path.isEmpty() ? key : path + "." + key;
            if (entries.containsKey(key)) {
                throw ScenarioException.at(source, keyAt.getLineNr(), keyAt.getColumnNr(), childPath,
                        "duplicate key '" + key + "'; each key may appear once in a map");
            }
            keyMarks.put(key, new int[] {keyAt.getLineNr(), keyAt.getColumnNr()});
            p.nextToken();
            entries.put(key, read(p, childPath));
        }
        return new YamlMap(path, line, column, entries, keyMarks);
    }

    private YamlList readList(JsonParser p, String path, int line, int column) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            items.add(read(p, path + "[" + items.size() + "]"));
        }
        return new YamlList(path, line, column, items);
    }

    /**
     * SnakeYAML's own exception knows the problem and where it is; Jackson's wrapper reports the start
     * of the enclosing construct and a multi-line drawing, so prefer the former and keep one line.
     */
    private ScenarioException malformed(JsonProcessingException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException) {
                MarkedYAMLException y = (MarkedYAMLException) c;
                Mark mark = y.getProblemMark() != null ? y.getProblemMark() : y.getContextMark();
                String words = oneLine(y.getProblem() == null ? y.getMessage() : y.getProblem());
                if (y.getContext() != null) {
                    words = words + " (" + oneLine(y.getContext()) + ")";
                }
                int line = mark == null ? -1 : mark.getLine() + 1;
                int column = mark == null ? -1 : mark.getColumn() + 1;
                return ScenarioException.at(source, line, column, "", "malformed YAML: " + words);
            }
        }
        JsonLocation at = e.getLocation();
        String words = oneLine(e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage());
        int line = at == null ? -1 : at.getLineNr();
        int column = at == null ? -1 : at.getColumnNr();
        return ScenarioException.at(source, line, column, "", "malformed YAML: " + words);
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
