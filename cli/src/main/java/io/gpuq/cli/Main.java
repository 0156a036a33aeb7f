package io.gpuq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The gpuq launcher: one jar, one subcommand per mode. */
@Command(name = "gpuq",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Run:ai-compatible GPU admission webhook and scheduler for Kubernetes.",
        subcommands = {
            DemoCommand.class,
            SimulateCommand.class,
            PackingBenchCommand.class,
            WebhookCommand.class,
            SchedulerCommand.class,
            ReserveCommand.class,
            ChargebackCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; used by tests too. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
