package io.glimpse.cli;

import io.glimpse.cache.BadInputException;
import io.glimpse.eval.EvalInputException;
import io.glimpse.extract.ExtractInputException;
import io.glimpse.train.TrainInputException;

/** The exceptions by which a stage refuses its input; the CLI answers each with one line and exit code 2. */
public final class BadInput {
    private BadInput() {
    }

    public static boolean is(Throwable e) {
        return e instanceof BadInputException || e instanceof ExtractInputException || e instanceof TrainInputException
                || e instanceof EvalInputException || e instanceof CliInputException;
    }
}
