package io.gpuq.cli;

import picocli.CommandLine.Command;

@Command(name = "simulate")
final class SimulateCommand implements Runnable {
    @Override
    public void run() {
        throw new UserInputException("simulate is not available in this build");
    }
}
