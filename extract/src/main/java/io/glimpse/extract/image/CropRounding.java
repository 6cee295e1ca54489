package io.glimpse.extract.image;

/** How a center crop's offset is rounded: torchvision uses Python's round (half to even), Hugging Face floors. */
public enum CropRounding {
    HALF_EVEN, FLOOR;

    public String label() {
        return this == HALF_EVEN ? "half_even" : "floor";
    }
}
