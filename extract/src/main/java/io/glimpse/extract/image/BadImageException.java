package io.glimpse.extract.image;

/** An image that cannot be read or decoded; the message names the file and the decoder's reason. */
public class BadImageException extends Exception {
    public BadImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
