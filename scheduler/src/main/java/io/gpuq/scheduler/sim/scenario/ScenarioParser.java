package io.gpuq.scheduler.sim.scenario;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a YAML tree into a validated {@link Scenario}. Sections are read in dependency order (nodes,
 * queues, prices, workloads) whatever their order in the file, so every reference can be checked
 * against what it names.
 */
final class ScenarioParser {
    static final List<String> ROOT_KEYS = List.of("cycleSeconds", "nodes", "departments", "projects", "prices",
            "workloads", "observeAt");

    private final String source;

    ScenarioParser(String source) {
        this.source = source;
    }

    Scenario parse(YamlNode root) {
        Fields f = Fields.of(source, root, ROOT_KEYS);
        long cycle = f.optionalLong("cycleSeconds", 1, "cycleSeconds is the time between scheduling cycles in "
                + "whole seconds >= 1");
        if (cycle < 1) {
            throw f.error("cycleSeconds", cycle + " is out of range; cycleSeconds must be a whole number >= 1");
        }
        NodeSectionParser nodeParser = new NodeSectionParser(source);
        List<NodeSpec> nodes = nodeParser.parse(f);
        QueueSectionParser queueParser = new QueueSectionParser(source, nodeParser.pools());
        List<DepartmentSpec> departments = queueParser.departments(f);
        List<ProjectSpec> projects = queueParser.projects(f);
        List<PriceSpec> prices = new PriceSectionParser(source).parse(f);
        Map<String, ProjectSpec> byName = new LinkedHashMap<>();
        for (ProjectSpec p : projects) {
            byName.put(p.name(), p);
        }
        List<WorkloadSpec> workloads = new WorkloadSectionParser(source, byName, queueParser.projectNames(),
                nodeParser.names(), nodeParser.poolByNode()).parse(f);
        List<Long> observeAt = observeAt(f, cycle);
        return new Scenario(source, cycle, nodes, departments, projects, prices, workloads, observeAt);
    }

    /** Snapshots are taken right after a cycle, so each time must be one. */
    private List<Long> observeAt(Fields f, long cycle) {
        TreeSet<Long> times = new TreeSet<>();
        List<YamlNode> items = f.list("observeAt");
        for (int i = 0; i < items.size(); i++) {
            YamlNode n = items.get(i);
            String rule = "observeAt lists cycle times: whole seconds >= 0 that are multiples of cycleSeconds ("
                    + cycle + ")";
            if (!(n instanceof YamlScalar) || !((YamlScalar) n).isNumber()) {
                throw ScenarioException.at(source, n, "expected a number, found " + n.describe() + "; " + rule);
            }
            long t;
            try {
                t = ((BigDecimal) ((YamlScalar) n).value()).stripTrailingZeros().longValueExact();
            } catch (ArithmeticException e) {
                throw ScenarioException.at(source, n, ((YamlScalar) n).text() + " is not a whole number; " + rule);
            }
            if (t < 0 || t % cycle != 0) {
                throw ScenarioException.at(source, n, t + " is not a cycle time; " + rule);
            }
            if (!times.add(t)) {
                throw ScenarioException.at(source, n, t + " is listed twice; list each time once");
            }
        }
        return new ArrayList<>(times);
    }
}
