package io.glimpse.eval;

/**
 * Bad input found by the eval stage: a run folder or result.json, a trained head that does not fit its caches, or an option that Glimpse refuses before doing harm. The CLI prints the message as one line
 * and exits with code 2, so messages name the file or option and say what is wrong. (Bad input found by the cache
 * is {@code io.glimpse.cache.BadInputException}.)
 */
public class EvalInputException extends RuntimeException {
    public EvalInputException(String message) {
        super(message);
    }

    public EvalInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
