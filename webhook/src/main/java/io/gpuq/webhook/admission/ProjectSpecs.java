package io.gpuq.webhook.admission;

import io.gpuq.api.crd.Department;
import io.gpuq.api.crd.DepartmentSpec;
import io.gpuq.api.crd.Project;
import io.gpuq.api.crd.ProjectSpec;

/** Specs of cached objects, never null: an object stored with {@code spec: null} means all defaults. */
final class ProjectSpecs {

    private ProjectSpecs() {
    }

    static ProjectSpec of(Project project) {
        return project.getSpec() == null ? new ProjectSpec() : project.getSpec();
    }

    static DepartmentSpec of(Department department) {
        return department.getSpec() == null ? new DepartmentSpec() : department.getSpec();
    }

    static String name(Project project) {
        return project.getMetadata() == null ? null : project.getMetadata().getName();
    }
}
