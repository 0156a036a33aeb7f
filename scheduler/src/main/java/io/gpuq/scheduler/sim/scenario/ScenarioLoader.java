package io.gpuq.scheduler.sim.scenario;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Loads and validates a scenario file (DESIGN §7). Every problem, from a missing file to a fraction
 * out of range, surfaces as a {@link ScenarioException} with a one-line message that names the file
 * and, where there is one, the line and field.
 */
public final class ScenarioLoader {

    /** Files larger than this are almost certainly not scenarios; refusing them keeps errors fast. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    private ScenarioLoader() {
    }

    public static Scenario load(Path file) {
        String source = file.toString();
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw new ScenarioException(source + ": is a directory; give a scenario YAML file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new ScenarioException(source + ": larger than " + MAX_BYTES / (1024 * 1024)
                        + " MiB; not a scenario file");
            }
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new ScenarioException(source + ": no such file", e);
        } catch (CharacterCodingException e) {
            throw new ScenarioException(source + ": not UTF-8 text; a scenario is a YAML file", e);
        } catch (IOException e) {
            throw new ScenarioException(source + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, source);
    }

    /** Parses scenario text; {@code source} names it in messages (a file name, or e.g. "&lt;stdin&gt;"). */
    public static Scenario parse(String yaml, String source) {
        YamlNode root = new YamlTreeParser(source).parse(yaml);
        return new ScenarioParser(source).parse(root);
    }
}
