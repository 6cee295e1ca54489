package io.glimpse.train;

/**
 * Bad input found by the train stage: a probe, a recipe value, a token source that does not fit the heads, or a saved head that Glimpse refuses before doing harm. The CLI prints the message as one line
 * and exits with code 2, so messages name the file or option and say what is wrong. (Bad input found by the cache
 * is {@code io.glimpse.cache.BadInputException}.)
 */
public class TrainInputException extends RuntimeException {
    public TrainInputException(String message) {
        super(message);
    }

    public TrainInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
