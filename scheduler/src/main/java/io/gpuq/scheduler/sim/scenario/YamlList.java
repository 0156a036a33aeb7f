package io.gpuq.scheduler.sim.scenario;

import java.util.List;

/** A YAML sequence. */
record YamlList(String path, int line, int column, List<YamlNode> items) implements YamlNode {

    YamlList {
        items = List.copyOf(items);
    }

    @Override
    public String describe() {
        return "a list";
    }
}
