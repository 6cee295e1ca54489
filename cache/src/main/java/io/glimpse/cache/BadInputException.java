package io.glimpse.cache;

/**
 * Bad input or bad usage: a file, option or value that Glimpse refuses before doing harm. The CLI prints the
 * message as one line and exits with code 2. Messages name the file or option and say what is wrong.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
