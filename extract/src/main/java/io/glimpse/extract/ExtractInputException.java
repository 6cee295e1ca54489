package io.glimpse.extract;

/**
 * Bad input found by the extract stage: an extraction request, a backbone or dataset config, an image or an option that Glimpse refuses before doing harm. The CLI prints the message as one line
 * and exits with code 2, so messages name the file or option and say what is wrong. (Bad input found by the cache
 * is {@code io.glimpse.cache.BadInputException}.)
 */
public class ExtractInputException extends RuntimeException {
    public ExtractInputException(String message) {
        super(message);
    }

    public ExtractInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
