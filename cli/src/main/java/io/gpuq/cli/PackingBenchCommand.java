package io.gpuq.cli;

import picocli.CommandLine.Command;

@Command(name = "packing-bench")
final class PackingBenchCommand implements Runnable {
    @Override
    public void run() {
        throw new UserInputException("packing-bench is not available in this build");
    }
}
