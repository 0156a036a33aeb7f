package io.gpuq.cli;

/** The user's input (a file, an option) is wrong; the message says where and what is allowed. */
public final class UserInputException extends RuntimeException {
    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
