package io.gpuq.scheduler.sim.scenario;

/**
 * A node of a parsed YAML document that remembers where it came from, so that every validation
 * error can name the line and the field path ({@code workloads[3].gpuFraction}).
 */
sealed interface YamlNode permits YamlMap, YamlList, YamlScalar {

    /** The field path from the document root; empty for the root itself. */
    String path();

    /** 1-based line of the node's first character. */
    int line();

    /** 1-based column of the node's first character. */
    int column();

    /** What kind of value this is, in the words of an error message ("a map", "a list", "a number"). */
    String describe();
}
