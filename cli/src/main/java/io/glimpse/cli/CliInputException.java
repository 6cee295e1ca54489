package io.glimpse.cli;

/**
 * Bad input found by the command line: an option or a combination of options, or a cache key or run folder named on the command line that Glimpse refuses before doing harm. The CLI prints the message as one line
 * and exits with code 2, so messages name the file or option and say what is wrong. (Bad input found by the cache
 * is {@code io.glimpse.cache.BadInputException}.)
 */
public class CliInputException extends RuntimeException {
    public CliInputException(String message) {
        super(message);
    }

    public CliInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
