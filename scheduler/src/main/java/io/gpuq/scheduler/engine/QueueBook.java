package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.fairshare.FairShareCalculator;
import io.gpuq.scheduler.engine.fairshare.QueueDemand;
import io.gpuq.scheduler.engine.model.Department;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.Project;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queue hierarchy of one cycle (departments → projects) with per-pool deserved quotas, requests,
 * allocations and fair shares.
 */
final class QueueBook {
    private final Map<String, QueueAccount> departments = new LinkedHashMap<>();
    private final Map<String, QueueAccount> projects = new LinkedHashMap<>();
    private final Map<String, Department> departmentSpecs = new LinkedHashMap<>();
    private final Map<String, Project> projectSpecs = new LinkedHashMap<>();
    /** Accounts created, each numbered in order; see {@link QueueAccount#index}. */
    private int accounts;

    QueueBook(List<Department> departmentList, List<Project> projectList, Map<String, Long> poolCapacity) {
        for (Department d : departmentList) {
            departmentSpecs.put(d.name(), d);
        }
        for (Project p : projectList) {
            projectSpecs.put(p.name(), p);
            departmentSpecs.computeIfAbsent(p.department(), name -> Project.DEFAULT_DEPARTMENT.equals(name)
                    ? Department.implicitDefault()
                    : new Department(name, null, -1, 1, 100, Long.MAX_VALUE));
        }
        for (Department d : departmentSpecs.values()) {
            departments.put(d.name(), new QueueAccount(d.name(), accounts++, null, d.overQuotaWeight(), d.priority(),
                    d.order(), toMilliLimit(d.maxGpus())));
        }
        for (Project p : projectList) {
            QueueAccount dept = departments.get(p.department());
            QueueAccount acc = new QueueAccount(p.name(), accounts++, dept, p.overQuotaWeight(), p.priority(),
                    p.order(), toMilliLimit(p.maxGpus()));
            for (Map.Entry<String, Double> e : p.deservedByPool().entrySet()) {
                long capacity = poolCapacity.getOrDefault(e.getKey(), 0L);
                double d = e.getValue() == null ? 0 : e.getValue();
                acc.pool(e.getKey()).deserved = d < 0 ? capacity : toMilli(d);
                dept.pool(e.getKey());
            }
            projects.put(p.name(), acc);
        }
        for (QueueAccount dept : departments.values()) {
            Department spec = departmentSpecs.get(dept.name);
            long sum = 0;
            for (String pool : dept.pools.keySet()) {
                long s = 0;
                for (QueueAccount p : projects.values()) {
                    if (p.parent == dept && p.hasPool(pool)) {
                        s += p.pool(pool).deserved;
                    }
                }
                dept.pool(pool).deserved = s;
                sum += s;
            }
            if (spec.deservedGpus() != null) {
                distributeDepartmentDeserved(dept, spec.deservedGpus(), sum, poolCapacity);
            }
        }
    }

    /** How many accounts the book numbered: every {@link QueueAccount#index} is below this. */
    int accountCount() {
        return accounts;
    }

    /** An explicit department deserved is a total; it is spread over pools like its projects' quotas. */
    private static void distributeDepartmentDeserved(QueueAccount dept, double deservedGpus, long projectSum,
                                                     Map<String, Long> poolCapacity) {
        if (deservedGpus < 0) {
            for (Map.Entry<String, QueueAccount.Pool> e : dept.pools.entrySet()) {
                e.getValue().deserved = poolCapacity.getOrDefault(e.getKey(), 0L);
            }
            return;
        }
        long total = toMilli(deservedGpus);
        int n = dept.pools.size();
        if (n == 0) {
            return;
        }
        long given = 0;
        int i = 0;
        for (QueueAccount.Pool p : dept.pools.values()) {
            i++;
            long part;
            if (i == n) {
                part = total - given;
            } else if (projectSum > 0) {
                part = total * p.deserved / projectSum;
            } else {
                part = total / n;
            }
            p.deserved = part;
            given += part;
        }
    }

    static long toMilli(double gpus) {
        return Math.round(gpus * GpuDemand.MILLI);
    }

    private static long toMilliLimit(double gpus) {
        return gpus < 0 ? -1 : toMilli(gpus);
    }

    QueueAccount project(String name) {
        return projects.get(name);
    }

    Project projectSpec(String name) {
        return projectSpecs.get(name);
    }

    Collection<QueueAccount> projects() {
        return projects.values();
    }

    Collection<QueueAccount> departments() {
        return departments.values();
    }

    /** Records demand (allocated or pending) of a project in a pool, for fair share. */
    void addRequest(String project, String pool, long milli) {
        QueueAccount p = projects.get(project);
        if (p == null || !p.hasPool(pool)) {
            return;
        }
        p.pool(pool).request += milli;
        p.parent.pool(pool).request += milli;
    }

    /** Fair share per pool, departments first, then projects inside each department. */
    void computeFairShares(Map<String, Long> poolCapacity) {
        for (Map.Entry<String, Long> pc : poolCapacity.entrySet()) {
            String pool = pc.getKey();
            List<QueueAccount> depts = new ArrayList<>();
            for (QueueAccount d : departments.values()) {
                if (d.hasPool(pool)) {
                    depts.add(d);
                }
            }
            long[] deptShares = FairShareCalculator.divide(pc.getValue(), demands(depts, pool, pc.getValue()));
            for (int i = 0; i < depts.size(); i++) {
                QueueAccount d = depts.get(i);
                d.pool(pool).fairShare = deptShares[i];
                List<QueueAccount> children = new ArrayList<>();
                for (QueueAccount p : projects.values()) {
                    if (p.parent == d && p.hasPool(pool)) {
                        children.add(p);
                    }
                }
                long[] shares = FairShareCalculator.divide(deptShares[i], demands(children, pool, pc.getValue()));
                for (int j = 0; j < children.size(); j++) {
                    children.get(j).pool(pool).fairShare = shares[j];
                }
            }
        }
        for (QueueAccount d : departments.values()) {
            d.freezeShares();
        }
        for (QueueAccount p : projects.values()) {
            p.freezeShares();
        }
    }

    private static List<QueueDemand> demands(List<QueueAccount> queues, String pool, long capacity) {
        List<QueueDemand> out = new ArrayList<>(queues.size());
        for (QueueAccount q : queues) {
            QueueAccount.Pool p = q.pool(pool);
            long requestable = p.request;
            if (q.max >= 0) {
                requestable = Math.min(requestable, q.max);
            }
            requestable = Math.min(requestable, capacity);
            out.add(new QueueDemand(q.name, Math.min(p.deserved, capacity), requestable, q.overQuotaWeight,
                    q.priority, q.order));
        }
        return out;
    }
}
