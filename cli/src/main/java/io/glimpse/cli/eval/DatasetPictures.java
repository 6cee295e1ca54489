package io.glimpse.cli.eval;

import io.glimpse.cli.CliInputException;
import io.glimpse.eval.attention.PictureSource;
import io.glimpse.extract.dataset.DatasetConfig;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.dataset.ImageDataset;
import io.glimpse.extract.image.BadImageException;
import io.glimpse.extract.image.EvalTransform;
import io.glimpse.extract.image.Preprocessing;
import io.glimpse.extract.image.U8Image;

import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pictures for attention overlays from the extract stage's dataset classes: the sample's image through the
 * backbone's evaluation transform (resize and crop, before normalisation), i.e. exactly the pixels the patch grid
 * covers. Refuses a dataset whose fingerprint differs from the one the tokens were extracted from.
 */
final class DatasetPictures implements PictureSource {
    private final ImageDataset dataset;
    private final Preprocessing preprocessing;
    private final List<String> classes;
    private Map<String, Integer> index;

    DatasetPictures(String datasetArg, Preprocessing preprocessing, String split, String expectedFingerprint) {
        DatasetConfig cfg = DatasetConfigLoader.load(datasetArg);
        this.dataset = DatasetConfigLoader.open(cfg, split);
        this.preprocessing = preprocessing;
        this.classes = cfg.classes();
        if (expectedFingerprint != null && !expectedFingerprint.equals(dataset.fingerprint())) {
            throw new CliInputException("--dataset " + datasetArg + ": split " + split
                    + " is not the data the run's tokens were extracted from (fingerprint differs)");
        }
    }

    @Override
    public BufferedImage picture(String id) {
        Integer i = indexOf(id);
        if (i == null) throw new CliInputException("sample '" + id + "' is not in dataset " + dataset.name() + " split " + dataset.split());
        try {
            return toImage(EvalTransform.apply(preprocessing, dataset.image(i, preprocessing.channels())));
        } catch (BadImageException e) {
            throw new CliInputException("sample '" + id + "': " + e.getMessage());
        }
    }

    @Override
    public String className(int label) {
        return label >= 0 && label < classes.size() ? classes.get(label) : Integer.toString(label);
    }

    private synchronized Integer indexOf(String id) {
        if (index == null) {
            index = new HashMap<>();
            for (int i = 0; i < dataset.size(); i++) index.put(dataset.id(i), i);
        }
        return index.get(id);
    }

    private static BufferedImage toImage(U8Image img) {
        BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int r = img.get(x, y, 0);
                int g = img.channels() == 3 ? img.get(x, y, 1) : r;
                int b = img.channels() == 3 ? img.get(x, y, 2) : r;
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }
}
