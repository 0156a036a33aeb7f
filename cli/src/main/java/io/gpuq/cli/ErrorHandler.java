package io.gpuq.cli;

import picocli.CommandLine;

/**
 * Turns an exception from a command into one clear line on stderr and a non-zero exit code.
 * {@link UserInputException} means the user's input was wrong (exit 2); anything else is an
 * internal error (exit 1) and also prints the exception type so it can be reported.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        if (ex instanceof UserInputException) {
            cl.getErr().println("gpuq: " + ex.getMessage());
            return 2;
        }
        cl.getErr().println("gpuq: internal error: " + ex);
        if (System.getenv("GPUQ_DEBUG") != null) {
            ex.printStackTrace(cl.getErr());
        }
        return 1;
    }
}
