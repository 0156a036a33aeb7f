package io.gpuq.cli;

import io.gpuq.scheduler.engine.placement.PlacementPolicies;
import io.gpuq.scheduler.packing.PackingBenchmark;
import io.gpuq.scheduler.packing.PackingReport;
import io.gpuq.scheduler.packing.PackingReportJson;
import io.gpuq.scheduler.packing.PackingTrace;
import io.gpuq.scheduler.packing.Seeds;
import io.gpuq.scheduler.packing.TraceFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code gpuq packing-bench}: the FGD paper's packing benchmark on an Alibaba GPU-sharing trace
 * (DESIGN §6, §8). Prints the JSON report on stdout.
 */
@Command(name = "packing-bench",
        mixinStandardHelpOptions = true,
        description = "Replay a GPU-sharing trace (Alibaba cluster-trace-gpu-v2023 format) against the "
                + "placement policies: pods arrive in a seeded random order and never leave, and the "
                + "report gives the GPU share left unallocated when the arrived GPU request reaches the "
                + "cluster's capacity (median over seeds), with the curve around it.")
final class PackingBenchCommand implements Runnable {
    static final String ALL = "all";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--nodes", required = true, paramLabel = "NODES.csv",
            description = "node list: sn,cpu_milli,memory_mib,gpu,model")
    Path nodes;

    @Option(names = "--pods", required = true, paramLabel = "PODS.csv",
            description = "pod list: name,cpu_milli,memory_mib,num_gpu,gpu_milli[,gpu_spec,...]")
    Path pods;

    @Option(names = "--policy", paramLabel = "P", defaultValue = "default",
            description = "default, binpack, spread or all (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--seeds", paramLabel = "SEEDS", defaultValue = "42-51",
            description = "one run per seed: a seed, a range or a comma-separated list (default: ${DEFAULT-VALUE})")
    String seeds;

    @Option(names = "--tune", paramLabel = "R", defaultValue = "1.3",
            description = "arriving GPU request as a multiple of GPU capacity, at least 1 to reach the "
                    + "100% point (default: ${DEFAULT-VALUE})")
    double tune;

    @Override
    public void run() {
        List<String> policies = policies();
        List<Long> seedList;
        try {
            seedList = Seeds.parse(seeds);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--seeds: " + e.getMessage(), e);
        }
        if (!(tune > 0) || tune > 10) {
            throw new UserInputException("--tune must be > 0 and <= 10, was " + tune);
        }
        PackingTrace trace;
        try {
            trace = PackingTrace.load(nodes, pods);
        } catch (TraceFormatException | UncheckedIOException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        if (trace.gpuCount() == 0) {
            throw new UserInputException(nodes + ": no node has GPUs; the benchmark needs GPU capacity");
        }
        PackingReport report = new PackingBenchmark(trace).run(policies, seedList, tune);
        PrintWriter out = spec.commandLine().getOut();
        PackingReportJson.write(report, out);
        out.flush();
    }

    private List<String> policies() {
        if (ALL.equals(policy)) {
            return PlacementPolicies.NAMES;
        }
        if (!PlacementPolicies.NAMES.contains(policy)) {
            throw new UserInputException("--policy: unknown policy '" + policy + "'; allowed: "
                    + String.join(", ", PlacementPolicies.NAMES) + ", " + ALL);
        }
        return List.of(policy);
    }
}
