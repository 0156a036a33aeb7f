package io.gpuq.cli;

import io.gpuq.scheduler.engine.EngineSettings;
import io.gpuq.scheduler.sim.ResultJsonWriter;
import io.gpuq.scheduler.sim.SimulationException;
import io.gpuq.scheduler.sim.SimulationResult;
import io.gpuq.scheduler.sim.Simulator;
import io.gpuq.scheduler.sim.scenario.Scenario;
import io.gpuq.scheduler.sim.scenario.ScenarioException;
import io.gpuq.scheduler.sim.scenario.ScenarioLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code gpuq simulate SCENARIO.yaml [--out result.json]}: the engine in virtual time (DESIGN §6, §7). */
@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Run a scenario file through the scheduling engine in virtual time, no Kubernetes, "
                + "and write the result document (snapshots, workloads, events, cost) as JSON.")
final class SimulateCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO.yaml",
            description = "a scenario YAML file, e.g. examples/seed-16gpu.yaml")
    Path scenario;

    @Option(names = "--out", paramLabel = "FILE", description = "write the JSON here instead of to stdout")
    Path out;

    @Override
    public void run() {
        Scenario s;
        SimulationResult result;
        try {
            s = ScenarioLoader.load(scenario);
            result = Simulator.withEngine(EngineSettings.defaults()).run(s);
        } catch (ScenarioException | SimulationException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        if (out == null) {
            PrintWriter w = spec.commandLine().getOut();
            ResultJsonWriter.write(result, w);
            w.flush();
            return;
        }
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            ResultJsonWriter.write(result, w);
        } catch (IOException e) {
            throw new UserInputException("cannot write " + out + ": " + describe(e), e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "its directory does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
