package io.gpuq.scheduler.sim.scenario;

/**
 * A scenario file is unreadable or invalid. The message is one line that names the file, the line and
 * column where known, the field path, what is wrong and what is allowed, e.g.
 * {@code gang.yaml:14:18: workloads[3].gpuFraction: 1.5 is out of range; a fraction must be > 0 and < 1}.
 */
public final class ScenarioException extends RuntimeException {

    public ScenarioException(String message) {
        super(message);
    }

    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }

    static ScenarioException at(String source, YamlNode node, String problem) {
        return at(source, node.line(), node.column(), node.path(), problem);
    }

    static ScenarioException at(String source, int line, int column, String path, String problem) {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        sb.append(": ");
        if (path != null && !path.isEmpty()) {
            sb.append(path).append(": ");
        }
        sb.append(problem);
        return new ScenarioException(sb.toString());
    }
}
