package io.gpuq.scheduler.sim.scenario;

import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.Project;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads {@code departments[]} and {@code projects[]}: the queue tree with its quotas. */
final class QueueSectionParser {
    static final List<String> DEPARTMENT_KEYS = List.of("name", "deservedGpus", "maxGpus", "overQuotaWeight",
            "priority");
    static final List<String> PROJECT_KEYS = List.of("name", "department", "deservedGpus", "overQuotaWeight",
            "maxGpus", "priority", "nodePools");
    static final List<String> POOL_KEYS = List.of("name", "deservedGpus");
    static final int DEFAULT_PRIORITY = 100;

    private static final BigDecimal MINUS_ONE = BigDecimal.ONE.negate();
    private static final String DESERVED_RULE = "deservedGpus must be >= 0 (fractions allowed), or -1 for everything";
    private static final String MAX_RULE = "maxGpus must be >= 0 (0 = no GPUs at all), or -1 for unlimited";
    private static final String WEIGHT_RULE = "overQuotaWeight must be >= 0 (0 = no share of the surplus)";
    private static final String PRIORITY_RULE = "priority is a whole number (higher buckets get surplus first)";

    private final String source;
    private final Set<String> pools;
    private final NameRegistry departments;
    private final NameRegistry projects;

    QueueSectionParser(String source, Set<String> pools) {
        this.source = source;
        this.pools = pools;
        this.departments = new NameRegistry(source, "department");
        this.projects = new NameRegistry(source, "project");
    }

    List<DepartmentSpec> departments(Fields root) {
        List<DepartmentSpec> out = new ArrayList<>();
        for (YamlNode item : root.list("departments")) {
            Fields f = Fields.of(source, item, DEPARTMENT_KEYS);
            String name = departments.register(f, "name");
            Double deserved = f.has("deservedGpus") ? quota(f, "deservedGpus", 0, DESERVED_RULE) : null;
            out.add(new DepartmentSpec(name, deserved,
                    quota(f, "maxGpus", -1, MAX_RULE),
                    weight(f),
                    (int) f.optionalLong("priority", DEFAULT_PRIORITY, PRIORITY_RULE)));
        }
        return out;
    }

    List<ProjectSpec> projects(Fields root) {
        List<YamlNode> items = root.list("projects");
        if (items.isEmpty()) {
            throw root.error("projects", "missing or empty; list at least one project, e.g. "
                    + "{name: team-training, deservedGpus: 8}");
        }
        List<ProjectSpec> out = new ArrayList<>();
        for (YamlNode item : items) {
            out.add(project(Fields.of(source, item, PROJECT_KEYS)));
        }
        return out;
    }

    private ProjectSpec project(Fields f) {
        String name = projects.register(f, "name");
        String department = null;
        if (f.has("department")) {
            department = f.requiredString("department", "the department this project belongs to");
            boolean implicit = Project.DEFAULT_DEPARTMENT.equals(department);
            if (!departments.contains(department) && !implicit) {
                throw f.error("department", departments.unknown(department)
                        + "; define it under departments or leave department out");
            }
        }
        List<PoolQuota> nodePools = nodePools(f);
        double deserved;
        if (nodePools.isEmpty()) {
            if (!pools.contains(GpuNode.DEFAULT_POOL)) {
                throw f.error("nodePools", "project uses the default pool, but every node is in a named pool ("
                        + String.join(", ", pools) + "); list the pools it may use under nodePools");
            }
            deserved = quota(f, "deservedGpus", 0, DESERVED_RULE);
        } else {
            deserved = poolTotal(f, nodePools);
        }
        return new ProjectSpec(name, department, deserved, weight(f),
                quota(f, "maxGpus", -1, MAX_RULE),
                (int) f.optionalLong("priority", DEFAULT_PRIORITY, PRIORITY_RULE),
                nodePools);
    }

    private List<PoolQuota> nodePools(Fields f) {
        List<PoolQuota> out = new ArrayList<>();
        if (f.has("nodePools") && f.list("nodePools").isEmpty()) {
            throw f.error("nodePools", "is empty; list at least one pool, or leave nodePools out for the "
                    + "default pool");
        }
        Set<String> seen = new HashSet<>();
        for (YamlNode item : f.list("nodePools")) {
            Fields p = Fields.of(source, item, POOL_KEYS);
            String pool = p.requiredString("name", "the name of a node pool (a runai/node-pool label value, or "
                    + "default)");
            if (!pools.contains(pool)) {
                String guess = Spelling.closest(pool, pools);
                throw p.error("name", "no node is in pool '" + pool + "'"
                        + (guess == null ? "" : " (did you mean '" + guess + "'?)")
                        + "; pools with nodes: " + String.join(", ", pools));
            }
            if (!seen.add(pool)) {
                throw p.error("name", "pool '" + pool + "' is listed twice; list each pool once");
            }
            out.add(new PoolQuota(pool, quota(p, "deservedGpus", 0, DESERVED_RULE)));
        }
        return out;
    }

    /** With nodePools the pools carry the quota; a project-level deservedGpus must agree with their sum. */
    private double poolTotal(Fields f, List<PoolQuota> nodePools) {
        boolean everything = nodePools.stream().anyMatch(q -> q.deservedGpus() < 0);
        BigDecimal sum = BigDecimal.ZERO;
        for (PoolQuota q : nodePools) {
            sum = sum.add(BigDecimal.valueOf(q.deservedGpus()));
        }
        BigDecimal total = everything ? MINUS_ONE : sum;
        if (f.has("deservedGpus")) {
            BigDecimal given = BigDecimal.valueOf(quota(f, "deservedGpus", 0, DESERVED_RULE));
            if (given.compareTo(total) != 0) {
                throw f.error("deservedGpus", "is " + plain(given) + " but the project's nodePools add up to "
                        + plain(total) + "; with nodePools the per-pool deservedGpus are the quota, so make "
                        + "them agree or leave deservedGpus out");
            }
        }
        return total.doubleValue();
    }

    private double quota(Fields f, String key, double absent, String rule) {
        if (!f.has(key)) {
            return absent;
        }
        BigDecimal v = f.requiredNumber(key, rule);
        if (v.signum() < 0 && v.compareTo(MINUS_ONE) != 0) {
            throw f.error(key, v.toPlainString() + " is negative; " + rule);
        }
        return v.doubleValue();
    }

    private double weight(Fields f) {
        BigDecimal w = f.optionalNumber("overQuotaWeight", BigDecimal.ONE, WEIGHT_RULE);
        if (w.signum() < 0) {
            throw f.error("overQuotaWeight", w.toPlainString() + " is negative; " + WEIGHT_RULE);
        }
        return w.doubleValue();
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    NameRegistry projectNames() {
        return projects;
    }
}
